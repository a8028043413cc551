package config

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		verb    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, c Config, pos []string)
		wantErr string
	}{
		{name: "defaults", verb: "serve", check: func(t *testing.T, c Config, pos []string) {
			if c.DB != "./marsad.db" || c.Addr != ":8080" || c.TZ.String() != "Asia/Riyadh" || len(pos) != 0 {
				t.Errorf("defaults: %+v %v", c, pos)
			}
		}},
		{name: "env then flag", verb: "serve", args: []string{"--db", "flag.db"},
			env: map[string]string{"MARSAD_DB": "env.db", "MARSAD_ADDR": ":9090", "MARSAD_NO_CRAWL": "1"},
			check: func(t *testing.T, c Config, _ []string) {
				if c.DB != "flag.db" || c.Addr != ":9090" || !c.NoCrawl {
					t.Errorf("got %+v", c)
				}
			}},
		{name: "flags after positionals", verb: "search", args: []string{"خادم", "--json", "الحرمين", "--limit", "5"},
			check: func(t *testing.T, c Config, pos []string) {
				if !c.JSON || c.Limit != 5 || !slices.Equal(pos, []string{"خادم", "الحرمين"}) {
					t.Errorf("got json=%v limit=%d pos=%q", c.JSON, c.Limit, pos)
				}
			}},
		{name: "double dash", verb: "analyze", args: []string{"--json", "--", "-x", "--db"},
			check: func(t *testing.T, c Config, pos []string) {
				if !c.JSON || !slices.Equal(pos, []string{"-x", "--db"}) {
					t.Errorf("got json=%v pos=%q", c.JSON, pos)
				}
			}},
		{name: "stdin dash", verb: "import", args: []string{"-"},
			check: func(t *testing.T, _ Config, pos []string) {
				if !slices.Equal(pos, []string{"-"}) {
					t.Errorf("pos=%q", pos)
				}
			}},
		{name: "postgres", verb: "serve", env: map[string]string{"MARSAD_DB": "postgres://localhost/test"},
			check: func(t *testing.T, c Config, _ []string) {
				if !c.IsPostgres() {
					t.Error("IsPostgres false")
				}
			}},
		{name: "log level", verb: "serve", args: []string{"--log-level", "debug"},
			check: func(t *testing.T, c Config, _ []string) {
				if c.LogLevel != slog.LevelDebug {
					t.Errorf("level %v", c.LogLevel)
				}
			}},
		{name: "flag not for verb", verb: "search", args: []string{"--addr", ":1"}, wantErr: "not defined"},
		{name: "bad limit", verb: "search", args: []string{"--limit", "x"}, wantErr: "not a number"},
		{name: "limit range", verb: "search", args: []string{"--limit", "0"}, wantErr: "limit 0"},
		{name: "workers from env", verb: "worker", env: map[string]string{"MARSAD_WORKERS": "4"},
			check: func(t *testing.T, c Config, _ []string) {
				if c.Workers != 4 {
					t.Errorf("workers %d", c.Workers)
				}
			}},
		{name: "workers range", verb: "worker", args: []string{"--workers", "0"}, wantErr: "workers 0"},
		{name: "bad env bool", verb: "serve", env: map[string]string{"MARSAD_NO_CRAWL": "maybe"}, wantErr: "MARSAD_NO_CRAWL"},
		{name: "bad tz", verb: "serve", env: map[string]string{"MARSAD_TZ": "Mars/Olympus"}, wantErr: "unknown time zone"},
		{name: "bad addr", verb: "serve", args: []string{"--addr", "8080"}, wantErr: "host:port"},
		{name: "bad base url", verb: "serve", args: []string{"--base-url", "example.com"}, wantErr: "base-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, pos, err := Load(tt.verb, tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c, pos)
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_, _, err := Load("serve", []string{"--help"}, env(nil), &out)
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out.String(), "MARSAD_DB") {
		t.Errorf("usage lacks env names:\n%s", out.String())
	}
}

func TestPublicURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{":8080": "http://localhost:8080", "127.0.0.1:9": "http://127.0.0.1:9", "[::1]:80": "http://[::1]:80"} {
		c := Default()
		c.Addr = addr
		if got := c.PublicURL(); got != want {
			t.Errorf("PublicURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

func TestMarkdownTableListsEveryEnv(t *testing.T) {
	t.Parallel()
	tbl := MarkdownTable()
	for _, o := range Options() {
		if o.Env != "" && !strings.Contains(tbl, o.Env) {
			t.Errorf("table lacks %s", o.Env)
		}
	}
}
