package backup

import (
	"encoding/json"
	"fmt"
)

// HeadFile is written into the data dir just before each backup, so every
// backup carries the audit chain head it was taken at.
const HeadFile = "audit-head.json"

// Head is the audit chain position recorded in a backup.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	At   string `json:"at"` // RFC 3339 with offset
}

// ParseHead reads a HeadFile.
func ParseHead(b []byte) (Head, error) {
	var h Head
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("%s: %w", HeadFile, err)
	}
	if h.Seq < 0 || (h.Seq > 0 && h.Hash == "") {
		return h, fmt.Errorf("%s: seq %d / hash %q が不正です", HeadFile, h.Seq, h.Hash)
	}
	return h, nil
}
