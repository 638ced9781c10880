// A goroutine function run 1000 times: the benchmark of breakpoint hits.
package main

import (
	"sync"
	"sync/atomic"
)

var total int64

//go:noinline
func work(i int, wg *sync.WaitGroup) {
	atomic.AddInt64(&total, int64(i))
	wg.Done()
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go work(i, &wg)
	}
	wg.Wait()
	println(atomic.LoadInt64(&total))
}
