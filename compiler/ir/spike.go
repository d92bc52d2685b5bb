package ir

// SpikeSource is a node whose spikes reach chemical synapses. The
// generated step declares its flag false, sets it where the node's spike
// event fires (Emit) or where a preset spike falls (Steps), reads it in
// the deliveries of the same step, and at the end of the step stores it in
// a ring of Ring slots when some synapse delays it: the flag of step k
// lives in slot k % Ring until step k+Ring overwrites it, so any delay
// below Ring can be read back. The ring is allocated once, before the loop.
type SpikeSource struct {
	Flag     string // Go identifier of the step's spike flag
	Ring     int    // ring length (longest delay + 1), 0 without delays
	RingName string
	// Steps are preset spike steps (spike arrays), sorted; Table names the
	// constant table and Cursor the index of the next one.
	Steps  []int
	Table  string
	Cursor string
}

// Emit raises a spike source's flag (inside the event that fires it).
type Emit struct {
	Source *SpikeSource
}

// Deliver runs Then when Source fired Delay steps before this step
// (delay 0: in this step).
type Deliver struct {
	Source *SpikeSource
	Delay  int
	Note   string // source -> target synapse, for a comment
	Then   []Stmt
}

func (*Emit) isStmt()    {}
func (*Deliver) isStmt() {}
