// goroutines: a few goroutines that hand values around, so that the
// runtime starts more Ms than sysmon's and parks and wakes Gs.
package main

import (
	"fmt"
	"sync"
)

func worker(id int, in <-chan int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for v := range in {
		out <- v * id
	}
}

func main() {
	const workers = 4
	in := make(chan int)
	out := make(chan int, 64)
	var wg sync.WaitGroup
	for i := 1; i <= workers; i++ {
		wg.Add(1)
		go worker(i, in, out, &wg)
	}
	for v := 0; v < 32; v++ {
		in <- v
	}
	close(in)
	wg.Wait()
	close(out)
	sum := 0
	for v := range out {
		sum += v
	}
	fmt.Println("goroutines:", workers, "sum:", sum)
}
