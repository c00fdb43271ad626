package cli

import (
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
)

func coverage() model.Coverage { return typeset.Coverage{} }
