#ifndef REPORTLINT_CLIBZ_SHIM_H
#define REPORTLINT_CLIBZ_SHIM_H

// The system zlib, for the .docx reader's own bounded inflate of ZIP entries (raw deflate).
#include <zlib.h>

#endif
