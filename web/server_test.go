package web

import (
	"reflect"
	"testing"

	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestNewServerRefusesMissingService leaves out each service in turn; the
// fields come from reflection, so a service added later is covered too.
func TestNewServerRefusesMissingService(t *testing.T) {
	t.Parallel()
	all := sqldb.NewServices(sqldbtest.Open(t))
	if _, err := NewServer(Config{Services: all}); err != nil {
		t.Fatalf("NewServer with every service: %v", err)
	}
	fields := reflect.TypeOf(all)
	for i := range fields.NumField() {
		name := fields.Field(i).Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Services: all}
			reflect.ValueOf(&cfg.Services).Elem().Field(i).SetZero()
			_, err := NewServer(cfg)
			if want := "web: Services." + name + " is missing"; err == nil || err.Error() != want {
				t.Fatalf("NewServer without %s: error %v, want %q", name, err, want)
			}
		})
	}
}
