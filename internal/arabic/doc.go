// Package arabic is marsad's one Arabic analyzer. Everything that compares
// text — search, copy detection, story clustering, related reading — goes
// through it, so they all see the same terms. It imports nothing of
// marsad's own (only the standard library and golang.org/x/text for NFKC).
//
// The analysis, in order:
//
//  1. Character layer (chars.go, every rune named in runes.go): NFKC for the
//     runes that need it only (presentation forms, ligatures ﻻ ﷲ ﷺ, full-width
//     forms), hamza/alef forms أ إ آ ٱ → ا, ؤ ئ → ء (مسؤول = مسئول), ى → ي,
//     ة → ه, Persian/Urdu letters (ی ک ۀ پ ڤ …), diacritics, tatweel,
//     zero-width and bidi marks, Arabic-Indic and Persian digits → ASCII,
//     Arabic punctuation → ASCII, lower-case Latin without accents. Matching
//     only: display text is never altered. Normalize exposes this layer.
//  2. Tokenizer (tokenize.go): Arabic words, words of other scripts,
//     numbers with separators (1,500 → 1500; 3.5; 10:30), and URLs, e-mails,
//     #hashtags and @mentions kept whole. Tokens carry byte offsets into the
//     input, so snippets highlight the original text.
//  3. Stopwords (stopwords.txt), looked up after normalisation.
//  4. Light stemmer (stem.go): Light10 with article chains and pronoun
//     suffixes, kept from destroying names by lists learned from the corpus
//     (keep.txt, radical.txt) and a few curated exceptions.
//
// Which output to use:
//
//   - Search (indexing and queries) and story clustering / related reading:
//     Terms — stems of non-stopword tokens. Terms never contain spaces;
//     a term with punctuation (an e-mail, a URL, 10:30) is stored and
//     queried as the same FTS5 phrase.
//   - Copy detection (shingles): Words — normalised, unstemmed non-stopword
//     tokens; a copy keeps the wording, an independent report of the same
//     event does not, and stems would blur that.
//   - Snippets, the analyze verb, anything that needs positions: Tokens.
//
// An Analyzer is safe for concurrent use; create one with New and share it.
// Terms and Words return substrings of the input where the input spells a
// term as analysed, and one shared string for the rest: at most one
// allocation per call (plus dst growth), none per token.
package arabic
