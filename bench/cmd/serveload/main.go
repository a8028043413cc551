// Command serveload requests a running marsad serve's pages from a few
// clients for a while and prints each path's latency percentiles: traffic
// for measuring serve's memory under load (docs/benchmarks.md, "Serve's
// memory at 310k"; servemem.sh runs it).
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:18931", "serve's address")
	paths := flag.String("paths", "/,/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7,/api/v1/articles/1000/similar,/article/150000", "comma-separated paths, requested in turn")
	clients := flag.Int("c", 4, "concurrent clients")
	d := flag.Duration("d", 30*time.Second, "how long")
	flag.Parse()
	ps := strings.Split(*paths, ",")
	var (
		mu  sync.Mutex
		lat = map[string][]time.Duration{}
		wg  sync.WaitGroup
	)
	end := time.Now().Add(*d)
	for i := range *clients {
		wg.Go(func() {
			for k := i; time.Now().Before(end); k++ {
				p := ps[k%len(ps)]
				t := time.Now()
				r, err := http.Get(*base + p)
				if err != nil {
					fmt.Fprintln(os.Stderr, "serveload:", err)
					return
				}
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				el := time.Since(t)
				mu.Lock()
				lat[p] = append(lat[p], el)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, p := range ps {
		l := lat[p]
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		fmt.Printf("%-40s n=%d p50=%.2fms p99=%.2fms\n", p, len(l), float64(l[len(l)/2])/1e6, float64(l[len(l)*99/100])/1e6)
	}
}
