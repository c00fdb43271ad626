package pdfa

import (
	"bytes"
	"strconv"
)

// maxContent bounds how much of one decoded content stream Check reads.
const maxContent = 64 << 20

// contents scans page and form content streams for what dictionaries do
// not show: device colour operators (6.2.4.3), text drawn with the .notdef
// glyph (6.2.11.8), which fpdf emits for a character missing from the font,
// and glyphs whose /W width differs from the font program's (6.2.11.5).
// Only Type0/Identity-H/CIDFontType2 fonts (fpdf's UTF-8 fonts, coopera's
// own) are checked for glyphs.
func (c *checker) contents() {
	for _, o := range c.f.objects {
		d := o.dict()
		switch {
		case d.name("Type") == "Page":
			res := c.inherited(d, "Resources")
			contents := []any{d.get("Contents")}
			if a, ok := c.resolve(d.get("Contents")).(array); ok {
				contents = a
			}
			for _, cv := range contents {
				if so := c.object(cv); so != nil && so.stream != nil {
					c.content(so.num, decode(so.dict(), so.stream, maxContent), res)
				}
			}
		case o.stream != nil && d.name("Subtype") == "Form":
			res, _ := c.resolve(d.get("Resources")).(*dict)
			c.content(o.num, decode(d, o.stream, maxContent), res)
		}
	}
}

// inherited looks key up on a page and then its /Parent chain.
func (c *checker) inherited(d *dict, key name) *dict {
	for i := 0; d != nil && i < 32; i++ {
		if v, ok := c.resolve(d.get(key)).(*dict); ok {
			return v
		}
		d, _ = c.resolve(d.get("Parent")).(*dict)
	}
	return nil
}

func isOperand(tok []byte) bool {
	switch string(tok) {
	case "true", "false", "null":
		return true
	}
	_, err := strconv.ParseFloat(string(tok), 64)
	return err == nil
}

func (c *checker) content(obj int, data []byte, res *dict) {
	if data == nil {
		return
	}
	fonts, _ := c.resolve(res.get("Font")).(*dict)
	p := &parser{b: data}
	var ops []any
	var font *cidFont // the current font; nil: not checked
	reported := false
	checkText := func(v any) {
		s, ok := v.(str)
		if !ok || reported || font == nil {
			return
		}
		for i := 0; i+1 < len(s.b); i += 2 {
			if !c.glyph(font, int(s.b[i])<<8|int(s.b[i+1]), obj) {
				reported = true
				return
			}
		}
	}
	for {
		p.skip()
		if p.pos >= len(data) {
			return
		}
		if ch := data[p.pos]; !isDelim(ch) {
			tok := p.regular()
			if isOperand(tok) {
				ops = append(ops, number(tok))
				continue
			}
			switch string(tok) {
			case "Tf":
				font = nil
				if len(ops) >= 1 {
					if n, ok := ops[0].(name); ok {
						font = c.cidFont(fonts.get(n))
					}
				}
			case "Tj", "'", "\"":
				if len(ops) > 0 {
					checkText(ops[len(ops)-1])
				}
			case "TJ":
				if len(ops) > 0 {
					if a, ok := ops[0].(array); ok {
						for _, e := range a {
							checkText(e)
						}
					}
				}
			case "k", "K":
				c.useOp("DeviceCMYK", obj)
			case "rg", "RG":
				c.useOp("DeviceRGB", obj)
			case "g", "G":
				c.useOp("DeviceGray", obj)
			case "cs", "CS":
				if len(ops) > 0 {
					if n, ok := ops[0].(name); ok && (n == "DeviceCMYK" || n == "DeviceRGB" || n == "DeviceGray") {
						c.useOp(n, obj)
					}
				}
			case "BI":
				// Inline image data is binary: jump past the "EI" that ends it.
				i := bytes.Index(data[p.pos:], []byte("EI"))
				if i < 0 {
					return
				}
				p.pos += i + 2
			}
			ops = ops[:0]
			continue
		}
		v, err := p.value()
		if err != nil {
			return // not our job to diagnose content syntax; stop scanning
		}
		ops = append(ops, v)
	}
}

func (c *checker) useOp(cs name, obj int) {
	saved := c.obj
	c.obj = obj
	c.useCS(cs)
	c.obj = saved
}
