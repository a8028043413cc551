package extract

// Vocabulary answers whether a word is known (see RepairText).
type Vocabulary interface {
	// Count is how often the word occurs in the reference corpus.
	Count(word string) int
}

// Repair is one word joined in the text: Text[Offset:Offset+len(Joined)]
// was Original before the repair.
type Repair struct {
	Offset   int    `json:"offset"`
	Original string `json:"original"`
	Joined   string `json:"joined"`
}

// RepairText joins words split by a stray space. Placeholder until the
// repair lands.
func RepairText(text string, v Vocabulary) (string, []Repair) {
	return text, nil
}
