package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"pathway/sim"
)

// memoryShare is the share of the machine's memory a forecast may plan to
// use: half, leaving the rest to everything else the machine runs.
const memoryShare = 0.5

// machineMemory returns the machine's memory in bytes, if it can be told.
// Tests replace it.
var machineMemory = func() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}

// checkMemory estimates the memory a forecast needs and refuses one that
// would take more than memoryShare of the machine's memory, saying so on
// stderr before any work is done.
func checkMemory(opts sim.ForecastOptions, people int, stderr io.Writer) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	need := sim.ForecastMemory(opts, people, workers)
	total, ok := machineMemory()
	if !ok || float64(need) <= memoryShare*float64(total) {
		return nil
	}
	fmt.Fprintf(stderr, "pathway: forecast memory estimate: %s for %d young people, %d draws, %d years on %d workers; this machine has %s\n",
		mib(need), people, opts.Draws, opts.Years, min(workers, max(people, 1)), mib(total))
	return badUsage("the forecast would need about %s, more than half of this machine's memory (%s): use fewer --draws, --years or --workers", mib(need), mib(total))
}

func mib(n int64) string {
	if n >= 10<<30 {
		return fmt.Sprintf("%.0f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%d MiB", (n+(1<<20)-1)>>20)
}
