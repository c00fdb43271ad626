// Package pdfa checks the PDF/A-2b rules that can be checked without a
// full validator (Check). Only tests import it: the files themselves are
// written by package pdf, and this package reads them with a reader of its
// own, so that a misreading there cannot hide the same mistake here.
//
// Check covers these clauses of ISO 19005-2 (details in RULES.md):
// 6.1.2 header, 6.1.3 trailer (/ID, no /Encrypt, nothing after %%EOF),
// 6.1.4 xref offsets, 6.1.6 hex strings, 6.1.7 stream syntax and filters,
// 6.1.13 integer/name/string limits, 6.2.3 output intent and its ICC
// header, 6.2.4.3 device colour spaces (dictionaries and content operators),
// 6.2.5 transfer functions and halftones, 6.2.8 images, 6.2.9 XObjects,
// 6.2.10 blend modes, 6.2.11.3.2 CIDToGIDMap, 6.2.11.4.1 font embedding,
// 6.2.11.5 glyph widths and 6.2.11.8 .notdef in text (Type0 Identity-H
// fonts), 6.3.1-6.3.3 annotations, 6.4.1-6.4.2 forms, 6.5.1-6.5.2 actions,
// 6.6.2.1 metadata stream, 6.6.3 Info/XMP agreement, 6.6.4 pdfaid, 6.8
// embedded files, 6.9 optional content, 6.11 requirements. It does not
// replace veraPDF: font program internals beyond the widths, ICC profile
// internals beyond the header, XMP schema validation and full
// content-stream semantics are not checked.
package pdfa
