// Package config is marsad's typed configuration: defaults, then MARSAD_*
// environment variables, then command-line flags, then Validate. There are
// no globals; cmd/marsad builds one Config per run and passes it down.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is everything a marsad command can be told.
type Config struct {
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// Addr is the HTTP listen address for serve.
	Addr string
	// BaseURL is the public URL of the web UI, used in feeds; derived from
	// Addr when empty.
	BaseURL string
	// NoCrawl turns the crawl scheduler in serve off.
	NoCrawl bool
	// NoSearchIndex keeps serve's searches on the store's full-text index
	// instead of building the in-memory one (internal/index).
	NoSearchIndex bool
	// APIRate is the API's request rate per client (requests/second); 0 is unlimited.
	APIRate float64
	// PageCache is how long serve reuses a rendered page; 0 renders each request.
	PageCache time.Duration
	// TZ reads zone-less times (import lines, many Arabic sites) and shows times.
	TZ *time.Location
	// JSON makes commands print JSON.
	JSON bool
	// Limit is a result count for search-like commands.
	Limit int
	// SortByDate orders search results newest first (--sort date).
	SortByDate bool
	// Expand lists copies as results of their own (search).
	Expand bool
	// LimitSet reports that Limit was given (flag), not defaulted: stories
	// lists every story unless it is.
	LimitSet bool
	// ExtractURL is the page URL of extract's FILE inputs (resolves links).
	ExtractURL string
	// LogLevel and LogFormat ("text" or "json") configure the logger.
	LogLevel  slog.Level
	LogFormat string
	// AllowPrivate lets fetches reach loopback and private addresses (tests).
	AllowPrivate bool
	// Once makes crawl run one full pass and exit.
	Once bool
	// Sources is a source list (OPML or JSON) to crawl instead of the stored ones.
	Sources string
	// AdminToken guards mutating HTTP endpoints; empty disables them.
	AdminToken string
	// Defaults makes "sources import" import the shipped source list.
	Defaults bool
	// Workers is how many jobs one process runs at once (serve, worker,
	// crawl).
	Workers int
}

// Default returns the defaults.
func Default() Config {
	return Config{
		DB:        "./marsad.db",
		Addr:      ":8080",
		TZ:        mustZone("Asia/Riyadh"),
		APIRate:   20,
		PageCache: 2 * time.Second,
		Limit:     10,
		Workers:   32,
		LogLevel:  slog.LevelInfo,
		LogFormat: "text",
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// cmd/marsad embeds time/tzdata, so this only happens in a broken build.
		return time.FixedZone(name, 3*3600)
	}
	return loc
}

// Option describes one setting: its flag, its environment variable, and the
// verbs that accept it. The table is the single source for flag parsing,
// env parsing, --help and the README's configuration table.
type Option struct {
	Flag  string
	Env   string
	Usage string
	// Verbs that take the flag; nil means every verb.
	Verbs []string
	set   func(c *Config, v string) error
	get   func(c *Config) string
	bool  bool
}

// Options lists every setting.
func Options() []Option {
	return []Option{
		{Flag: "db", Env: "MARSAD_DB", Usage: "SQLite file path or postgres:// URL",
			set: func(c *Config, v string) error { c.DB = v; return nil },
			get: func(c *Config) string { return c.DB }},
		{Flag: "json", Usage: "print JSON", bool: true,
			Verbs: []string{"search", "similar", "stories", "dups", "extract", "analyze", "sources", "import", "crawl"},
			set:   setBool(func(c *Config) *bool { return &c.JSON }),
			get:   func(c *Config) string { return strconv.FormatBool(c.JSON) }},
		{Flag: "limit", Usage: "number of results", Verbs: []string{"search", "similar", "stories", "dups"},
			set: func(c *Config, v string) error {
				c.LimitSet = true
				return setInt(func(c *Config) *int { return &c.Limit })(c, v)
			},
			get: func(c *Config) string { return strconv.Itoa(c.Limit) }},
		{Flag: "sort", Usage: "relevance or date (newest first)", Verbs: []string{"search"},
			set: func(c *Config, v string) error {
				switch v {
				case "relevance", "date":
					c.SortByDate = v == "date"
					return nil
				}
				return fmt.Errorf("want relevance or date, not %q", v)
			},
			get: func(c *Config) string { return map[bool]string{false: "relevance", true: "date"}[c.SortByDate] }},
		{Flag: "expand", Usage: "list copies as results of their own instead of under their original", bool: true, Verbs: []string{"search"},
			set: setBool(func(c *Config) *bool { return &c.Expand }),
			get: func(c *Config) string { return strconv.FormatBool(c.Expand) }},
		{Flag: "addr", Env: "MARSAD_ADDR", Usage: "HTTP listen address", Verbs: []string{"serve"},
			set: func(c *Config, v string) error { c.Addr = v; return nil },
			get: func(c *Config) string { return c.Addr }},
		{Flag: "base-url", Env: "MARSAD_BASE_URL", Usage: "public URL of the site, for links in feeds", Verbs: []string{"serve"},
			set: func(c *Config, v string) error { c.BaseURL = strings.TrimRight(v, "/"); return nil },
			get: func(c *Config) string { return c.BaseURL }},
		{Flag: "no-crawl", Env: "MARSAD_NO_CRAWL", Usage: "serve without the crawl scheduler", bool: true, Verbs: []string{"serve"},
			set: setBool(func(c *Config) *bool { return &c.NoCrawl }),
			get: func(c *Config) string { return strconv.FormatBool(c.NoCrawl) }},
		{Flag: "no-search-index", Env: "MARSAD_NO_SEARCH_INDEX", Usage: "search on the database's full-text index instead of an in-memory index (less memory, slower searches)", bool: true, Verbs: []string{"serve"},
			set: setBool(func(c *Config) *bool { return &c.NoSearchIndex }),
			get: func(c *Config) string { return strconv.FormatBool(c.NoSearchIndex) }},
		{Flag: "api-rate", Env: "MARSAD_API_RATE", Usage: "API requests per second per client address (burst ×2; 0 = unlimited)", Verbs: []string{"serve"},
			set: func(c *Config, v string) error {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f < 0 {
					return fmt.Errorf("not a non-negative number: %q", v)
				}
				c.APIRate = f
				return nil
			},
			get: func(c *Config) string { return strconv.FormatFloat(c.APIRate, 'g', -1, 64) }},
		{Flag: "page-cache", Env: "MARSAD_PAGE_CACHE", Usage: "how long a rendered page is reused (pages are at most this stale; 0 = render every request)", Verbs: []string{"serve"},
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d < 0 || d > time.Hour {
					return fmt.Errorf("want a duration from 0 to 1h, e.g. 2s: %q", v)
				}
				c.PageCache = d
				return nil
			},
			get: func(c *Config) string { return c.PageCache.String() }},
		{Flag: "tz", Env: "MARSAD_TZ", Usage: "time zone for zone-less times and display",
			set: func(c *Config, v string) error {
				loc, err := time.LoadLocation(v)
				if err != nil {
					return fmt.Errorf("unknown time zone %q", v)
				}
				c.TZ = loc
				return nil
			},
			get: func(c *Config) string { return c.TZ.String() }},
		{Flag: "url", Usage: "page URL of the input files (resolves their links)", Verbs: []string{"extract"},
			set: func(c *Config, v string) error { c.ExtractURL = v; return nil },
			get: func(c *Config) string { return c.ExtractURL }},
		{Flag: "log-level", Env: "MARSAD_LOG_LEVEL", Usage: "debug, info, warn or error",
			set: func(c *Config, v string) error {
				return c.LogLevel.UnmarshalText([]byte(v))
			},
			get: func(c *Config) string { return strings.ToLower(c.LogLevel.String()) }},
		{Flag: "log-format", Env: "MARSAD_LOG_FORMAT", Usage: "text or json",
			set: func(c *Config, v string) error { c.LogFormat = v; return nil },
			get: func(c *Config) string { return c.LogFormat }},
		{Flag: "allow-private", Env: "MARSAD_ALLOW_PRIVATE", Usage: "let fetches reach loopback/private addresses (tests only)", bool: true,
			Verbs: []string{"serve", "crawl", "sources", "extract", "worker"},
			set:   setBool(func(c *Config) *bool { return &c.AllowPrivate }),
			get:   func(c *Config) string { return strconv.FormatBool(c.AllowPrivate) }},
		{Flag: "workers", Env: "MARSAD_WORKERS", Usage: "crawl jobs this process runs at once", Verbs: []string{"serve", "worker", "crawl"},
			set: setInt(func(c *Config) *int { return &c.Workers }),
			get: func(c *Config) string { return strconv.Itoa(c.Workers) }},
		{Flag: "once", Usage: "one full crawl pass, then exit", bool: true, Verbs: []string{"crawl"},
			set: setBool(func(c *Config) *bool { return &c.Once }),
			get: func(c *Config) string { return strconv.FormatBool(c.Once) }},
		{Flag: "sources", Usage: "crawl the sources in this OPML or JSON file (added to the database)", Verbs: []string{"crawl"},
			set: func(c *Config, v string) error { c.Sources = v; return nil },
			get: func(c *Config) string { return c.Sources }},
		{Flag: "defaults", Usage: "import the shipped list of Arabic outlets' feeds", bool: true, Verbs: []string{"sources"},
			set: setBool(func(c *Config) *bool { return &c.Defaults }),
			get: func(c *Config) string { return strconv.FormatBool(c.Defaults) }},
		{Env: "MARSAD_ADMIN_TOKEN", Usage: "bearer token for the API's mutations (add or remove a source, trigger a re-crawl); unset disables them",
			set: func(c *Config, v string) error { c.AdminToken = v; return nil },
			get: func(*Config) string { return "" }}, // a secret: never shown as a default
	}
}

func setInt(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not a number: %q", v)
		}
		*field(c) = n
		return nil
	}
}

func setBool(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not a boolean: %q", v)
		}
		*field(c) = b
		return nil
	}
}

func (o Option) takes(verb string) bool {
	if o.Verbs == nil {
		return true
	}
	for _, v := range o.Verbs {
		if v == verb {
			return true
		}
	}
	return false
}

// ErrHelp is returned by Load when -h/--help was asked for; usage has been
// written.
var ErrHelp = flag.ErrHelp

// Load builds the Config for verb from the environment (getenv) and args.
// Flags may come before or after positional arguments; "--" ends flags.
// It returns the positional arguments. Usage goes to usageOut on error/help.
func Load(verb string, args []string, getenv func(string) string, usageOut io.Writer) (Config, []string, error) {
	c := Default()
	opts := Options()
	for _, o := range opts {
		if o.Env == "" {
			continue
		}
		if v, ok := lookup(getenv, o.Env); ok {
			if err := o.set(&c, v); err != nil {
				return c, nil, fmt.Errorf("%s: %w", o.Env, err)
			}
		}
	}
	fs := flag.NewFlagSet("marsad "+verb, flag.ContinueOnError)
	fs.SetOutput(usageOut)
	for _, o := range opts {
		if o.Flag == "" || !o.takes(verb) {
			continue
		}
		usage := o.Usage
		if o.Env != "" {
			usage += " (env " + o.Env + ")"
		}
		if o.bool {
			fs.BoolFunc(o.Flag, usage, func(v string) error { return o.set(&c, v) })
		} else {
			fs.Func(o.Flag, usage+" (default "+strconv.Quote(o.get(&c))+")", func(v string) error { return o.set(&c, v) })
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return c, nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// flag stops at "--" (consumed) or the first positional: tell them apart.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if err := c.Validate(); err != nil {
		return c, nil, err
	}
	return c, pos, nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// Validate checks the configuration as a whole.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.DB) == "" {
		errs = append(errs, errors.New("db: empty (set --db or MARSAD_DB)"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want host:port (e.g. :8080)", c.Addr))
	}
	if c.Limit < 1 || c.Limit > 1000 {
		errs = append(errs, fmt.Errorf("limit %d: want 1..1000", c.Limit))
	}
	if c.Workers < 1 || c.Workers > 1000 {
		errs = append(errs, fmt.Errorf("workers %d: want 1..1000", c.Workers))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format %q: want text or json", c.LogFormat))
	}
	if c.TZ == nil {
		errs = append(errs, errors.New("tz: not set"))
	}
	if c.AdminToken != "" && len(c.AdminToken) < 16 {
		errs = append(errs, errors.New("MARSAD_ADMIN_TOKEN: too short (want at least 16 characters)"))
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("base-url %q: want http(s)://…", c.BaseURL))
	}
	return errors.Join(errs...)
}

// IsPostgres reports whether DB selects the PostgreSQL store.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// PublicURL is BaseURL, or one derived from Addr.
func (c Config) PublicURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// MarkdownTable renders the options as the README's configuration table.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
	def := Default()
	for _, o := range Options() {
		f := ""
		if o.Flag != "" {
			f = "`--" + o.Flag + "`"
		}
		e := ""
		if o.Env != "" {
			e = "`" + o.Env + "`"
		}
		d := o.get(&def)
		if d != "" && d != "false" {
			d = "`" + d + "`"
		} else {
			d = ""
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f, e, d, o.Usage)
	}
	return b.String()
}
