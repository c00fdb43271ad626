package pdfa

import (
	"math/rand"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestTmpHunt(t *testing.T) {
	seeds := [][]byte{makePDF(t, build{links: true}), fixed(t), makePDF(t, build{})}
	rng := rand.New(rand.NewSource(1))
	m := testMeta()
	for i := 0; i < 300000; i++ {
		s := seeds[rng.Intn(len(seeds))]
		b := append([]byte(nil), s...)
		for k := rng.Intn(4) + 1; k > 0; k-- {
			switch rng.Intn(4) {
			case 0:
				b[rng.Intn(len(b))] = byte(rng.Intn(256))
			case 1:
				p := rng.Intn(len(b))
				b = append(b[:p:p], append([]byte(strconv.Itoa(rng.Intn(100000000))), b[p:]...)...)
			case 2:
				p := rng.Intn(len(b))
				q := p + rng.Intn(50)
				if q < len(b) {
					b = append(b[:p:p], b[q:]...)
				}
			case 3:
				b[rng.Intn(len(b))] = "()<>[]{}/% \n0R"[rng.Intn(14)]
			}
		}
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				os.WriteFile("/tmp/pdfa-slow.pdf", b, 0o644)
				panic("slow input saved")
			}
		}()
		start := time.Now()
		Check(b)
		if out, err := Fix(b, m); err == nil {
			Check(out)
		}
		close(done)
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Log(i, d)
		}
	}
}
