package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrRefused marks a fetch refused by the address policy (SSRF guard).
var ErrRefused = errors.New("address refused")

// AddrPolicy decides whether the client may connect to an IP address. It
// returns "" to allow, or a short reason ("loopback", "private", …) to refuse.
// It is consulted after DNS resolution, in the dialer, for every connection,
// so a host name that resolves (or re-resolves) to an internal address is
// caught, and so is every redirect hop.
type AddrPolicy func(ip netip.Addr) (reason string)

// PublicOnly refuses every address that is not a public unicast address:
// loopback, private (RFC 1918, RFC 4193), link-local, multicast, unspecified,
// carrier-grade NAT, cloud metadata and other special-purpose ranges.
// IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
func PublicOnly(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast(), ip.IsLinkLocalMulticast():
		return "multicast"
	case metadata(ip):
		return "cloud-metadata"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsPrivate():
		return "private"
	}
	for _, p := range special {
		if p.prefix.Contains(ip) {
			return p.reason
		}
	}
	return ""
}

// AllowAll is the policy of --allow-private: every address is allowed.
func AllowAll(netip.Addr) string { return "" }

// AllowOnly returns a policy for tests: the listed addresses are allowed and
// everything else is judged by PublicOnly, so a test server on 127.0.0.1 can
// be reached while a redirect to 127.0.0.2 is still refused.
func AllowOnly(addrs ...netip.Addr) AddrPolicy {
	return func(ip netip.Addr) string {
		for _, a := range addrs {
			if a == ip.Unmap() {
				return ""
			}
		}
		return PublicOnly(ip)
	}
}

func metadata(ip netip.Addr) bool {
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack
	netip.MustParseAddr("169.254.170.2"),   // AWS ECS task metadata
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"),   // AWS IPv6
}

// special lists special-purpose ranges netip has no predicate for.
var special = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "private"}, // carrier-grade NAT
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "reserved"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved"},
	{netip.MustParsePrefix("198.51.100.0/24"), "reserved"},
	{netip.MustParsePrefix("203.0.113.0/24"), "reserved"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "private"}, // local-use NAT64
	{netip.MustParsePrefix("100::/64"), "reserved"},      // discard-only
	{netip.MustParsePrefix("2001:db8::/32"), "reserved"},
	{netip.MustParsePrefix("fec0::/10"), "private"}, // deprecated site-local
}

// RefusedError says which address was refused and why.
type RefusedError struct {
	URL    string
	Addr   string
	Reason string
}

func (e *RefusedError) Error() string {
	target := e.URL
	if target == "" {
		target = e.Addr
	}
	return fmt.Sprintf("refusing to fetch %s: %s address %s; use --allow-private for tests", target, e.Reason, e.Addr)
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

// control is the dialer's Control hook: it runs after resolution with the
// exact address about to be connected to.
func (p AddrPolicy) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &RefusedError{Addr: address, Reason: "unparsable"}
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return &RefusedError{Addr: address, Reason: "unparsable"}
	}
	if r := p(ip); r != "" {
		return &RefusedError{Addr: ip.String(), Reason: r}
	}
	return nil
}

// checkLiteral refuses a URL host that is an IP literal before any request
// is made (the dialer would refuse it too, but this gives the error early and
// covers proxies).
func (p AddrPolicy) checkLiteral(rawURL, host string) error {
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return nil // a name: judged in the dialer by what it resolves to
	}
	if r := p(ip); r != "" {
		return &RefusedError{URL: rawURL, Addr: ip.String(), Reason: r}
	}
	return nil
}
