package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/klauspost/compress/zlib"
	"runtime"
	"sort"
	"strconv"
)

// Annotation flags (ISO 32000-1 12.5.3).
const (
	flagInvisible    = 1
	flagHidden       = 2
	flagPrint        = 4
	flagNoView       = 32
	flagToggleNoView = 256
	flagLocked       = 128
)

// Fix rewrites the PDF that fpdf v0.12.0 writes into PDF/A-2b:
//   - Info and XMP rebuilt from m, the trailer /Info pointing at the Info
//     dictionary (fpdf points it at the ICC stream), dates with time zone;
//   - an sRGB output intent added when the document has none;
//   - link annotations made indirect objects with the print flag only;
//   - the empty /EmbeddedFiles name tree and the obsolete /ProcSet arrays
//     (ISO 32000-1 14.2) dropped;
//   - every unfiltered stream but the metadata Flate-compressed, when that
//     makes it smaller;
//   - header 1.7 with a binary comment, fresh xref, deterministic /ID.
//
// Fix refuses (with an error) what it cannot repair: encryption, JavaScript,
// and any file structure fpdf does not write (object or xref streams).
func Fix(raw []byte, m Meta) (out []byte, err error) {
	return finish(raw, nil, m, nil)
}

// Finish writes the finished file: what was drawn, the fonts its text
// used, and the PDF/A-2b fix-ups of Fix, signed when sig is not nil.
func (d *Doc) Finish(fonts *Fonts, m Meta, sig *Signature) ([]byte, error) {
	if err := d.f.Error(); err != nil {
		return nil, fmt.Errorf("composizione del PDF: %v", err)
	}
	var raw bytes.Buffer
	raw.Grow(48 << 10)
	if err := d.f.Output(&raw); err != nil {
		return nil, fmt.Errorf("scrittura del PDF: %v", err)
	}
	return finish(raw.Bytes(), fonts, m, sig)
}

func finish(raw []byte, fonts *Fonts, m Meta, sig *Signature) ([]byte, error) {
	if m.Created.IsZero() {
		return nil, errors.New("pdf/a: manca la data di creazione del documento")
	}
	f, err := parse(raw)
	if err != nil {
		return nil, fmt.Errorf("pdf/a: pdf non leggibile: %w", err)
	}
	if f.trailer.get("Encrypt") != nil {
		return nil, errors.New("pdf/a: il pdf è cifrato, la cifratura non è ammessa")
	}
	rootRef, ok := f.trailer.get("Root").(ref)
	if !ok || f.byNum[rootRef.num] == nil || f.byNum[rootRef.num].dict() == nil {
		return nil, errors.New("pdf/a: catalogo del documento mancante")
	}
	r := &rewriter{f: f}
	for _, o := range f.objects {
		r.next = max(r.next, o.num+1)
	}
	cat := f.byNum[rootRef.num].dict()
	if fonts != nil && len(fonts.List) > 0 {
		// fpdf writes one resource dictionary, object 2, that every page
		// shares; its /Font dictionary is empty, since fpdf has no fonts.
		var res *dict
		if o := f.byNum[2]; o != nil {
			res = o.dict()
		}
		if res == nil || res.get("Font") == nil {
			return nil, errors.New("pdf di fpdf inatteso: dizionario delle risorse mancante")
		}
		if err := r.addFonts(fonts, res); err != nil {
			return nil, err
		}
	}

	infoNum := r.infoObject()
	f.byNum[infoNum].val = infoDict(m)
	f.byNum[infoNum].stream = nil

	xmp := XMP(m)
	xd := newDict()
	xd.set("Type", name("Metadata"))
	xd.set("Subtype", name("XML"))
	xd.set("Length", number(strconv.Itoa(len(xmp))))
	if mr, ok := cat.get("Metadata").(ref); ok && f.byNum[mr.num] != nil {
		f.byNum[mr.num].val, f.byNum[mr.num].stream = xd, xmp
	} else {
		cat.set("Metadata", r.add(xd, xmp))
	}

	if _, ok := r.resolve(cat.get("OutputIntents")).(array); !ok {
		icc := SRGBProfile() // compressed below with the other streams
		pd := newDict()
		pd.set("N", number("3"))
		pd.set("Alternate", name("DeviceRGB"))
		pd.set("Length", number(strconv.Itoa(len(icc))))
		oi := newDict()
		oi.set("Type", name("OutputIntent"))
		oi.set("S", name("GTS_PDFA1"))
		oi.set("OutputConditionIdentifier", str{b: []byte("sRGB IEC61966-2.1")})
		oi.set("Info", str{b: []byte("sRGB IEC61966-2.1")})
		oi.set("DestOutputProfile", r.add(pd, icc))
		cat.set("OutputIntents", array{oi})
	}
	if m.Lang != "" {
		cat.set("Lang", str{b: []byte(m.Lang)})
	}
	cat.del("Version") // the header says 1.7; a lower /Version would contradict it
	if err := r.names(cat); err != nil {
		return nil, err
	}
	r.annotations()
	r.dropProcSets()
	r.compress()
	if sig != nil {
		if err := r.signatureField(cat, sig); err != nil {
			return nil, err
		}
	}
	objs, root, info := r.renumber(rootRef.num, infoNum)
	return serialize(objs, root, info, sig)
}

// deflaters keeps zlib writers for reuse: each holds over half a megabyte
// of tables that a new writer would allocate and clear again, a good part
// of the time of a one-letter run. Unlike a sync.Pool it is not emptied by
// the garbage collector.
var deflaters = make(chan *zlib.Writer, runtime.GOMAXPROCS(0))

// deflateLevel is klauspost's level 5, not 9: the seed letter grows by 183
// bytes (24,940 instead of 24,757), but the writer's tables are 0.3 MB
// smaller, which a one-letter run pays for in page faults, and it
// compresses faster (README, "Performance").
const deflateLevel = 5

// deflate returns data zlib-compressed, as /FlateDecode reads it.
func deflate(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data)/2 + 64)
	var w *zlib.Writer
	select {
	case w = <-deflaters:
		w.Reset(&b)
	default:
		w, _ = zlib.NewWriterLevel(&b, deflateLevel) // a valid level: no error
	}
	w.Write(data) // writes to a bytes.Buffer never fail
	w.Close()
	select {
	case deflaters <- w:
	default:
	}
	return b.Bytes()
}

// Prepare gets a zlib writer ready for the first document: it compresses
// sample, data like what documents hold, and keeps the writer. A new
// writer's tables are fresh memory, and where a page fault is dear the
// first touch of them costs more than the compressing; done ahead, on
// another processor, that cost is off a one-letter run's path.
func Prepare(sample []byte) {
	deflate(sample)
}

// dropProcSets removes /ProcSet from resource dictionaries: readers of PDF
// 1.4 and later ignore it.
func (r *rewriter) dropProcSets() {
	for _, o := range r.f.objects {
		d := o.dict()
		if res, ok := r.resolve(d.get("Resources")).(*dict); ok {
			res.del("ProcSet")
		}
	}
}

// compress Flate-compresses every stream that has no filter yet, but the
// XMP metadata, which PDF/A wants readable as it is (6.6.2.1), and those
// that compression would not shrink. (Sharing the streams out among the
// processors made a one-letter run slower: a second writer's tables cost
// more than the compression they save.)
func (r *rewriter) compress() {
	for _, o := range r.f.objects {
		d := o.dict()
		if o.stream == nil || d == nil || d.get("Filter") != nil || d.name("Type") == "Metadata" {
			continue
		}
		if z := deflate(o.stream); len(z) < len(o.stream) {
			o.stream = z
			d.set("Filter", name("FlateDecode"))
			d.set("Length", number(strconv.Itoa(len(z))))
		}
	}
}

type rewriter struct {
	f    *file
	next int // next free object number
}

func (r *rewriter) add(v any, stream []byte) ref {
	o := &object{num: r.next, val: v, stream: stream}
	r.next++
	r.f.objects = append(r.f.objects, o)
	r.f.byNum[o.num] = o
	return ref{o.num, 0}
}

func (r *rewriter) resolve(v any) any {
	if rf, ok := v.(ref); ok {
		if o := r.f.byNum[rf.num]; o != nil {
			return o.val
		}
		return nil
	}
	return v
}

// infoObject returns the number of the object to use as Info. fpdf writes the
// Info dictionary but may point the trailer at the next object (the ICC
// stream), so the trailer is trusted only when it names a plain dictionary.
func (r *rewriter) infoObject() int {
	isInfo := func(o *object) bool {
		d := o.dict()
		return o.stream == nil && d != nil && d.get("Type") == nil &&
			(d.get("Producer") != nil || d.get("CreationDate") != nil || d.get("Title") != nil)
	}
	if ir, ok := r.f.trailer.get("Info").(ref); ok {
		if o := r.f.byNum[ir.num]; o != nil && isInfo(o) {
			return o.num
		}
	}
	for _, o := range r.f.objects {
		if isInfo(o) {
			return o.num
		}
	}
	return r.add(newDict(), nil).num
}

// names drops the empty /EmbeddedFiles tree fpdf always writes: PDF/A-2
// tolerates it, but it only invites questions from validators (6.8). A
// non-empty one or any document JavaScript cannot be fixed here.
func (r *rewriter) names(cat *dict) error {
	nd, ok := r.resolve(cat.get("Names")).(*dict)
	if !ok {
		return nil
	}
	if nd.get("JavaScript") != nil {
		return errors.New("pdf/a: il pdf contiene javascript, non ammesso")
	}
	if ef, ok := r.resolve(nd.get("EmbeddedFiles")).(*dict); ok {
		if kids, _ := r.resolve(ef.get("Kids")).(array); len(kids) > 0 {
			return errors.New("pdf/a: il pdf contiene file allegati, non ammessi")
		}
		if list, _ := r.resolve(ef.get("Names")).(array); len(list) > 0 {
			return errors.New("pdf/a: il pdf contiene file allegati, non ammessi")
		}
		nd.del("EmbeddedFiles")
	}
	if len(nd.keys) == 0 {
		cat.del("Names")
	}
	return nil
}

// annotations moves inline annotation dictionaries into indirect objects
// (ISO 32000-1 Table 30 wants /Annots to hold references) and sets the flags
// PDF/A-2 6.3.2 requires: Print on; Hidden, Invisible, NoView, ToggleNoView off.
func (r *rewriter) annotations() {
	for _, o := range append([]*object(nil), r.f.objects...) {
		page := o.dict()
		if page.name("Type") != "Page" {
			continue
		}
		annots, ok := page.get("Annots").(array)
		if !ok {
			continue
		}
		for i, a := range annots {
			d, ok := r.resolve(a).(*dict)
			if !ok {
				continue
			}
			flags := 0
			if n, ok := d.get("F").(number); ok {
				flags, _ = strconv.Atoi(string(n))
			}
			flags |= flagPrint
			flags &^= flagInvisible | flagHidden | flagNoView | flagToggleNoView
			d.set("F", number(strconv.Itoa(flags)))
			if _, isRef := a.(ref); !isRef {
				annots[i] = r.add(d, nil)
			}
		}
	}
}

// renumber numbers the objects 1..n in their current order so the xref table
// has no free entries; references to missing objects become null, which is
// what ISO 32000-1 7.3.10 says they mean anyway.
func (r *rewriter) renumber(root, info int) (objs []*object, newRoot, newInfo int) {
	objs = append(objs, r.f.objects...)
	sort.SliceStable(objs, func(i, j int) bool { return objs[i].num < objs[j].num })
	m := make(map[int]int, len(objs))
	for i, o := range objs {
		m[o.num] = i + 1
	}
	var fix func(v any) any
	fix = func(v any) any {
		switch v := v.(type) {
		case ref:
			if n, ok := m[v.num]; ok {
				return ref{n, 0}
			}
			return null{}
		case array:
			for i := range v {
				v[i] = fix(v[i])
			}
		case *dict:
			for _, k := range v.keys {
				v.vals[k] = fix(v.vals[k])
			}
		}
		return v
	}
	for _, o := range objs {
		o.val = fix(o.val)
		o.num = m[o.num]
	}
	return objs, m[root], m[info]
}
