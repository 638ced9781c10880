// gowrites: goroutines that each write a global and the heap, stopped at
// one after the other: every continue between two stops writes memory.
package main

import "sync"

var vals [64]int64
var total int64
var mu sync.Mutex
var keep [][]byte

//go:noinline
func work(i int, wg *sync.WaitGroup) {
	mu.Lock()
	vals[i%64] += int64(i) + 1
	total += int64(i)
	keep = append(keep, make([]byte, 4096*(i%5+1)))
	mu.Unlock()
	wg.Done()
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go work(i, &wg)
	}
	wg.Wait()
	println(total, len(keep))
}
