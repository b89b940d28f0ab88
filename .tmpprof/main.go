package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/sqldb"
)

func main() {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "sqlite:/tmp/shots/demo/t.db")
	if err != nil {
		panic(err)
	}
	svc := sqldb.NewServices(db)
	op := trygg.NewOperatorContext(ctx)
	areas, _ := svc.Areas.FindAreas(op)
	cats, _ := svc.Categories.FindCategories(op, true)
	today := trygg.DayOf(time.Now())
	for _, kind := range []lagesbild.PeriodKind{lagesbild.PeriodWeek, lagesbild.PeriodYear} {
		per, _ := lagesbild.NewPeriod(kind, today-7, 0)
		in := lagesbild.Input{Filter: lagesbild.Filter{Period: per}, Today: today, Areas: areas, Categories: cats}
		var tb, tm, tw time.Duration
		f, _ := os.Create("/tmp/shots/cpu-" + string(kind) + ".prof")
		pprof.StartCPUProfile(f)
		for range 20 {
			t0 := time.Now()
			p, err := lagesbild.Build(op, svc.Counts, in)
			if err != nil {
				panic(err)
			}
			t1 := time.Now()
			p.Map(false, "k", func(c string) string { return "/x/" + c }).WriteSVG(io.Discard)
			t2 := time.Now()
			p.WeeklyChart("w").WriteSVG(io.Discard)
			t3 := time.Now()
			tb += t1.Sub(t0)
			tm += t2.Sub(t1)
			tw += t3.Sub(t2)
		}
		pprof.StopCPUProfile()
		fmt.Println(kind, "build", tb/20, "map", tm/20, "weekly", tw/20)
	}
	// pieces
	per, _ := lagesbild.NewPeriod(lagesbild.PeriodWeek, today-7, 0)
	t0 := time.Now()
	svc.Counts.CountCells(op, trygg.CountFilter{From: per.From, To: per.To})
	t1 := time.Now()
	svc.Counts.CountWeeks(op, trygg.CountFilter{From: per.From - 7*240, To: per.To})
	t2 := time.Now()
	svc.Counts.CountCells(op, trygg.CountFilter{From: per.From - 365, To: per.To})
	t3 := time.Now()
	fmt.Println("cells week", t1.Sub(t0), "cube", t2.Sub(t1), "cells year", t3.Sub(t2))
}
