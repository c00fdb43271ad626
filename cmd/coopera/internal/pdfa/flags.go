package pdfa

// Annotation flags (ISO 32000-1 12.5.3).
const (
	flagInvisible    = 1
	flagHidden       = 2
	flagPrint        = 4
	flagNoView       = 32
	flagToggleNoView = 256
)
