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
	// TimeRing, when set, names a ring of Ring times beside the flags:
	// where the source fires in step k, slot k % Ring takes the time jLEMS
	// gives the spike (its running sum TSum, plus Dt unless Early), which
	// a Deliver's Due compares with the sum to find its step.
	TimeRing string
	TSum     string
	Dt       float64
	// Early: jLEMS sends the spike one step before the step that shows
	// the reset (a cell run in regimes), at the sum of the step's start.
	Early bool
}

// Emit raises a spike source's flag (inside the event that fires it).
type Emit struct {
	Source *SpikeSource
}

// Deliver runs Then when Source fired Delay steps before this step
// (delay 0: in this step) and, with Due, when that spike is due now.
type Deliver struct {
	Source *SpikeSource
	Delay  int
	Due    *Due
	Note   string // source -> target synapse, for a comment
	Then   []Stmt
}

// Due is jLEMS's test of a delayed spike (its EventManager): the spike,
// sent at time s, is delivered at the start of the first step whose
// running sum t has reached s + Delay. A Deliver with Due runs at the start
// of a step, before every cell, where TSum holds the step's start: it
// delivers when TSum < s+Delay <= TSum+Dt (the sum jLEMS compares in this
// step), so each spike is delivered once whatever Delay slots of the ring
// are tested.
type Due struct {
	Delay float64 // seconds
}

func (*Emit) isStmt()    {}
func (*Deliver) isStmt() {}
