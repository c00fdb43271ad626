package pdfa

import (
	"bytes"
	"strconv"
)

// maxContent bounds how much of one decoded content stream Check reads.
const maxContent = 64 << 20

// contents scans page and form content streams for two things dictionaries
// do not show: device colour operators (6.2.4.3) and text drawn with the
// .notdef glyph (6.2.11.8), which fpdf emits for a character missing from
// the font. Only Type0/Identity-H fonts with a CIDToGIDMap (what fpdf's
// UTF-8 fonts are) are checked for .notdef.
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
	var gids []byte // CIDToGIDMap of the current font; nil: not checked
	identity := false
	reported := false
	checkText := func(v any) {
		s, ok := v.(str)
		if !ok || reported || (gids == nil && !identity) {
			return
		}
		for i := 0; i+1 < len(s.b); i += 2 {
			cid := int(s.b[i])<<8 | int(s.b[i+1])
			gid := cid
			if !identity {
				gid = 0
				if 2*cid+1 < len(gids) {
					gid = int(gids[2*cid])<<8 | int(gids[2*cid+1])
				}
			}
			if gid == 0 {
				c.add("6.2.11.8", obj, "text shows the .notdef glyph (code %#04x): a character is missing from the font", cid)
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
				gids, identity = nil, false
				if len(ops) >= 1 {
					if n, ok := ops[0].(name); ok {
						gids, identity = c.cidMap(fonts.get(n))
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

// cidMap returns the CIDToGIDMap bytes of a Type0 Identity-H font, or
// identity=true for /Identity; (nil, false) when the font is not checkable.
func (c *checker) cidMap(fontRef any) (gids []byte, identity bool) {
	font, _ := c.resolve(fontRef).(*dict)
	if font.name("Subtype") != "Type0" || font.name("Encoding") != "Identity-H" {
		return nil, false
	}
	df, _ := c.resolve(font.get("DescendantFonts")).(array)
	if len(df) != 1 {
		return nil, false
	}
	cid, _ := c.resolve(df[0]).(*dict)
	if cid.name("Subtype") != "CIDFontType2" {
		return nil, false
	}
	m := cid.get("CIDToGIDMap")
	if m == name("Identity") {
		return nil, true
	}
	mo := c.object(m)
	if mo == nil || mo.stream == nil {
		return nil, false
	}
	if c.maps == nil {
		c.maps = map[int][]byte{}
	}
	if g, ok := c.maps[mo.num]; ok {
		return g, false
	}
	g := decode(mo.dict(), mo.stream, 2*65536)
	c.maps[mo.num] = g
	return g, false
}
