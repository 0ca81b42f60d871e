// A Go guest for strata's CLI tests: the runtime (goroutines, channels, timers, maps, GC),
// the standard library (fmt, json, sha256, math/big, strconv, sort) and WASI (args, env,
// stdin, files in a preopened directory, clocks, poll_oneoff, proc_exit).
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type record struct {
	Name string   `json:"name"`
	N    int      `json:"n"`
	Tags []string `json:"tags"`
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	fmt.Println("args:", os.Args[1:], "env FOO:", os.Getenv("FOO"))

	counts := map[string]int{}
	for i := 0; i < 10000; i++ {
		counts["k"+strconv.Itoa(i%37)] += i
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("map:", len(keys), keys[:3], counts["k5"])

	var wg sync.WaitGroup
	results := make(chan int, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			results <- fib(10 + g%8)
		}(g)
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	fmt.Println("goroutines:", sum)

	select {
	case <-time.After(5 * time.Millisecond):
		fmt.Println("timer: fired")
	case <-make(chan int):
		fmt.Println("timer: impossible")
	}

	garbage := 0
	for i := 0; i < 2000; i++ {
		b := make([]byte, 4096+i)
		b[i] = byte(i)
		garbage += int(b[i])
	}
	fmt.Println("gc:", garbage)

	data, _ := json.Marshal([]record{{"a", 1, []string{"x", "y"}}, {"b", 2, nil}})
	fmt.Println("json:", string(data))
	var back []record
	if err := json.Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Printf("json back: %+v\n", back)

	fmt.Printf("sha256: %x\n", sha256.Sum256([]byte(strings.Repeat("abc", 1000))))
	f := new(big.Int).MulRange(1, 50)
	fmt.Println("50!:", f.String())
	fmt.Println("float:", strconv.FormatFloat(math.Sqrt(2)*1e10, 'g', -1, 64), math.Inf(1), math.Float32frombits(0x7fc00000) != math.Float32frombits(0x7fc00000))

	if err := os.WriteFile("/data/out.txt", []byte("written by go\n"), 0o644); err != nil {
		fmt.Println("write:", err)
	}
	back2, err := os.ReadFile("/data/out.txt")
	fmt.Printf("file: %q %v\n", back2, err)
	entries, err := os.ReadDir("/data")
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	fmt.Println("dir:", names, err)
	_, err = os.ReadFile("/etc/passwd")
	fmt.Println("outside the sandbox:", err != nil)

	lines := 0
	words := 0
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		lines++
		words += len(strings.Fields(scanner.Text()))
	}
	fmt.Println("stdin:", lines, "lines", words, "words")

	start := time.Now()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("slept at least 10ms:", time.Since(start) >= 10*time.Millisecond)

	defer func() {
		fmt.Println("recovered:", recover())
		os.Exit(3)
	}()
	var empty []int
	_ = empty[len(os.Args)+4]
}
