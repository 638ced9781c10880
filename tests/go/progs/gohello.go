// gohello: the smallest real Go program, as `go build` makes it (lab 11
// names it in #@program; the go suite builds it as hello, -s and -w).
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
