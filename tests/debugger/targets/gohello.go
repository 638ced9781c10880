// gohello: a real Go program for the stage finder and the runtime decoder.
package main

import "fmt"

func main() {
	fmt.Println("hello from go")
}
