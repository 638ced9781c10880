// The Go hello of the benchmarks: time to main.main, bootscope vs gdb.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
