// preempt: needs asynchronous preemption to finish. With one P, main spins
// in a loop without calls (so no cooperative preemption point) until
// another goroutine sets a flag; that goroutine only runs once sysmon
// preempts main with SIGURG. With GODEBUG=asyncpreemptoff=1 it never ends.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
)

var flag int32

//go:noinline
func done(spins uint64) {
	fmt.Println("preempted after", spins > 0, "spins")
}

func main() {
	runtime.GOMAXPROCS(1)
	go func() {
		atomic.StoreInt32(&flag, 1)
	}()
	var spins uint64
	for atomic.LoadInt32(&flag) == 0 {
		spins++
	}
	done(spins)
	os.Exit(0)
}
