#ifndef REPORTLINT_CLIBXML2_SHIM_H
#define REPORTLINT_CLIBXML2_SHIM_H

// The parts of the system libxml2 the HTML reader uses.
//
// Debian builds libxml2 with ICU, so <libxml/encoding.h> would pull in the system ICU headers,
// whose `UErrorCode` clashes with the copy of ICU inside Foundation when a Swift file sees both.
// The reader never touches the ICU members of `xmlCharEncodingHandler` (it only ever hands
// libxml2 UTF-8), so the ICU part of the headers is switched off here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/entities.h>

#endif
