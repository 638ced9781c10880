// printenv: prints GODEBUG as the program sees it.
package main

import (
	"fmt"
	"os"
)

func main() {
	v, ok := os.LookupEnv("GODEBUG")
	fmt.Printf("GODEBUG set=%v value=%q\n", ok, v)
}
