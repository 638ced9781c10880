// nilderef: a nil pointer dereference in a function of its own, which
// Go's SIGSEGV handler turns into a panic that main recovers: a signal
// taken at a known instruction.
package main

import "fmt"

type box struct{ v int }

//go:noinline
func deref(b *box) int {
	return b.v
}

func main() {
	defer func() {
		fmt.Println("recovered:", recover() != nil)
	}()
	var b *box
	fmt.Println(deref(b))
}
