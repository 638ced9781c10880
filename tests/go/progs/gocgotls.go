// gocgotls: cgo with C thread-locals. The TLS segment then holds the C
// variables before Go's g slot, so g is not at fs:-8: runtime.tlsg's
// offset in the segment says where it is. The go suite builds it as
// cgo-tls.
package main

/*
__thread long counter[4] = {1, 2, 3, 4};
static long bump(void) { return ++counter[0]; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println("hello from C thread-locals:", C.bump())
}
