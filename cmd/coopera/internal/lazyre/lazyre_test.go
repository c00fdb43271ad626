package lazyre

import (
	"sync"
	"testing"
)

func TestNew(t *testing.T) {
	re := New(`^(\d{4})-(\d{2})$`)
	if !re().MatchString("2022-03") || re().MatchString("2022-3") {
		t.Error("wrong matches")
	}
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for _, g := range got {
		if g != any(re()) {
			t.Fatal("compiled more than once")
		}
	}
}

func TestNewPanicsOnFirstUse(t *testing.T) {
	re := New(`(`) // compiling is deferred: no panic here
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic on first use")
		}
	}()
	re()
}
