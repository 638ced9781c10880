// gocgo: a hello that calls C (cgo), so go build links it externally with
// the C toolchain: libc's _start runs first, rt0_go calls _cgo_init and
// never calls settls. The go suite builds it as cgo.
package main

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println("hello from C:", C.add(1, 2))
}
