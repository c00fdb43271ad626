/*
 * Writes the sRGB output-intent profile of coopera's PDF/A files to
 * standard output: LittleCMS's built-in sRGB (IEC 61966-2-1 primaries,
 * D65 white adapted to D50 by Bradford, the exact piecewise sRGB curve as
 * one parametric curve shared by the three channels), as an ICC v4.2
 * display profile, without the optional chromaticity tag, with a fixed
 * creation date and the MD5 profile ID, so the same library writes the
 * same bytes.
 *
 *   cc srgb.c -llcms2 -o srgb && ./srgb > sRGB-v4.icc   (LittleCMS 2.14)
 */
#include <lcms2.h>
#include <stdio.h>
#include <stdlib.h>

static int text(cmsHPROFILE h, cmsTagSignature sig, const char *s) {
	cmsMLU *m = cmsMLUalloc(NULL, 1);
	int ok = m && cmsMLUsetASCII(m, "en", "US", s) && cmsWriteTag(h, sig, m);
	cmsMLUfree(m);
	return ok;
}

/* save returns the profile's bytes. */
static cmsUInt8Number *save(cmsHPROFILE h, cmsUInt32Number *n) {
	cmsUInt8Number *b;
	if (!cmsSaveProfileToMem(h, NULL, n) || !(b = malloc(*n)) || !cmsSaveProfileToMem(h, b, n))
		return NULL;
	return b;
}

int main(void) {
	/* 2026-11-24 00:00:00, the header's dateTimeNumber (ICC.1 4.2). */
	static const cmsUInt8Number date[12] = {0x07, 0xea, 0, 11, 0, 24, 0, 0, 0, 0, 0, 0};
	cmsUInt32Number n;
	cmsUInt8Number *b;
	cmsHPROFILE h = cmsCreate_sRGBProfile();

	if (!h)
		return 1;
	cmsSetProfileVersion(h, 4.2);
	if (!text(h, cmsSigProfileDescriptionTag, "sRGB IEC61966-2.1") ||
	    !text(h, cmsSigCopyrightTag, "No copyright, use freely") ||
	    !cmsWriteTag(h, cmsSigChromaticityTag, NULL) || !(b = save(h, &n)))
		return 1;
	for (int i = 0; i < 12; i++)
		b[24 + i] = date[i];
	cmsCloseProfile(h);
	/* Read back with the fixed date, then compute the ID over it. */
	if (!(h = cmsOpenProfileFromMem(b, n)) || !cmsMD5computeID(h) || !(b = save(h, &n)))
		return 1;
	return fwrite(b, 1, n, stdout) == n ? 0 : 1;
}
