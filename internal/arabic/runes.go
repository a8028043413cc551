package arabic

// Every rune the character layer treats specially, by its Unicode name. The
// table in chars.go is built from these so a reader can check each rule.
const (
	// Letters (U+0621–U+064A).
	hamza          = '\u0621' // ء
	alefMadda      = '\u0622' // آ
	alefHamzaAbove = '\u0623' // أ
	wawHamza       = '\u0624' // ؤ
	alefHamzaBelow = '\u0625' // إ
	yehHamza       = '\u0626' // ئ
	alef           = '\u0627' // ا
	beh            = '\u0628' // ب
	tehMarbuta     = '\u0629' // ة
	teh            = '\u062A' // ت
	jeem           = '\u062C' // ج
	zain           = '\u0632' // ز
	feh            = '\u0641' // ف
	kaf            = '\u0643' // ك
	lam            = '\u0644' // ل
	heh            = '\u0647' // ه
	waw            = '\u0648' // و
	alefMaksura    = '\u0649' // ى
	yeh            = '\u064A' // ي

	tatweel = '\u0640' // ـ (kashida, stretches a word for layout)

	// Harakat, tanween, shadda, sukun and the other combining marks of the
	// Arabic block (U+064B–U+065F), and the superscript (dagger) alef.
	fathatan         = '\u064B'
	dammatan         = '\u064C'
	kasratan         = '\u064D'
	fatha            = '\u064E'
	damma            = '\u064F'
	kasra            = '\u0650'
	shadda           = '\u0651'
	sukun            = '\u0652'
	maddahAbove      = '\u0653'
	hamzaAbove       = '\u0654' // combining: و + U+0654 is ؤ, ي + U+0654 is ئ
	hamzaBelow       = '\u0655'
	lastHaraka       = '\u065F' // wavy hamza below, end of the combining range
	superscriptAlef  = '\u0670'
	arabicSignFirst  = '\u0610' // honorific and Quranic signs above letters …
	arabicSignLast   = '\u061A' // … through small kasra
	quranicMarkFirst = '\u06D6' // small high ligatures, pause marks …
	quranicMarkLast  = '\u06ED' // … through small low meem
	endOfAyah        = '\u06DD' // a symbol inside the Quranic range: a separator
	rubElHizb        = '\u06DE' // ۞ a symbol: a separator
	placeOfSajdah    = '\u06E9' // ۩ a symbol: a separator
	smallHighYeh     = '\u06E6' // spacing modifier letters in the Quranic range,
	smallHighWaw     = '\u06E5' // dropped like the marks around them

	// Alef variants folded to bare alef.
	alefWasla            = '\u0671' // ٱ
	alefWavyHamzaAbove   = '\u0672' // ٲ
	alefWavyHamzaBelow   = '\u0673' // ٳ
	highHamza            = '\u0674' // ٴ
	numberSignFirst      = '\u0600' // Arabic number sign … (format characters that
	numberSignLast       = '\u0605' // … prefix numbers; ignorable)
	arabicLetterMark     = '\u061C' // ALM, a bidi control
	highHamzaAlef        = '\u0675' // ٵ (compatibility: alef + high hamza)
	highHamzaYehLigature = '\u0678' // ٸ (last of the four compatibility letters)

	// Persian, Urdu and other letters Arabic writers meet in foreign names.
	peh            = '\u067E' // پ → ب
	tcheh          = '\u0686' // چ → ج
	jeh            = '\u0698' // ژ → ز
	veh            = '\u06A4' // ڤ → ف (v in Gulf and Levantine spelling)
	keheh          = '\u06A9' // ک → ك
	gaf            = '\u06AF' // گ → ك
	hehDoachashmee = '\u06BE' // ھ → ه
	hehYehAbove    = '\u06C0' // ۀ → ه
	hehGoal        = '\u06C1' // ہ → ه
	tehMarbutaGoal = '\u06C3' // ۃ → ه
	farsiYeh       = '\u06CC' // ی → ي
	yehBarree      = '\u06D2' // ے → ي
	yehBarreeHamza = '\u06D3' // ۓ → ي
	ae             = '\u06D5' // ە → ه

	// Digits.
	arabicIndicZero   = '\u0660' // ٠ … ٩ U+0669
	arabicIndicNine   = '\u0669'
	persianZero       = '\u06F0' // ۰ … ۹ U+06F9
	persianNine       = '\u06F9'
	decimalSeparator  = '\u066B' // ٫
	thousandSeparator = '\u066C' // ٬

	// Punctuation and symbols.
	arabicSymbolFirst = '\u0606' // ؆ Arabic-Indic cube root … (math and poetic signs)
	arabicSymbolLast  = '\u060F' // ؏ sign misra
	arabicEndOfText   = '\u061D' // end of text mark
	arabicTripleDot   = '\u061E' // ؞ triple dot punctuation
	sindhiAmpersand   = '\u06FD' // ۽
	sindhiPostposMen  = '\u06FE' // ۾
	arabicComma       = '\u060C' // ،
	arabicSemicolon   = '\u061B' // ؛
	arabicQuestion    = '\u061F' // ؟
	arabicPercent     = '\u066A' // ٪
	arabicFullStop    = '\u06D4' // ۔
	arabicStar        = '\u066D' // ٭
	leftGuillemet     = '\u00AB' // «
	rightGuillemet    = '\u00BB' // »
	ornateLeftParen   = '\uFD3E' // ﴾
	ornateRightParen  = '\uFD3F' // ﴿
	softHyphen        = '\u00AD'
	zeroWidthSpace    = '\u200B'
	zeroWidthNonJoin  = '\u200C'
	zeroWidthJoiner   = '\u200D'
	leftToRightMark   = '\u200E'
	rightToLeftMark   = '\u200F'
	bidiEmbedFirst    = '\u202A' // LRE, RLE, PDF, LRO, RLO
	bidiEmbedLast     = '\u202E'
	wordJoiner        = '\u2060'
	bidiIsolateFirst  = '\u2066' // LRI, RLI, FSI, PDI
	bidiIsolateLast   = '\u2069'
	byteOrderMark     = '\uFEFF' // also zero-width no-break space
	presentationFirst = '\uFB50' // Arabic presentation forms A and B: NFKC
	presentationLast  = '\uFEFC'
)
