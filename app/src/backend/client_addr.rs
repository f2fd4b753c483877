//! The client's address: the TCP peer, or behind trusted reverse proxies the address the
//! nearest proxy saw. Each proxy appends the address it received the request from to
//! `X-Forwarded-For`, so the entries on the left are whatever the client wrote: the list is
//! read from the right, skipping trusted proxies, and the first other address is the client
//! (<https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Forwarded-For>).

use ipnet::IpNet;
use std::net::IpAddr;

/// The proxies trusted when `TRUSTED_PROXIES` is not set: loopback and private networks.
pub fn default_trusted_proxies() -> Vec<IpNet> {
    [
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "fc00::/7",
    ]
    .iter()
    .filter_map(|n| n.parse().ok())
    .collect()
}

/// Parses `TRUSTED_PROXIES`: a comma-separated list of networks (`10.0.0.0/8`) or addresses.
pub fn parse_trusted_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is neither an address nor a network"))
        })
        .collect()
}

/// The client's address. `forwarded` are the `X-Forwarded-For` header lines in order; they
/// count only when `trusted` is given and the peer is in it. Malformed entries fall back to
/// the peer.
pub fn client_address<'a>(
    peer: Option<IpAddr>,
    forwarded: impl IntoIterator<Item = &'a str>,
    trusted: Option<&[IpNet]>,
) -> Option<IpAddr> {
    let peer = peer.map(|p| p.to_canonical());
    let (Some(peer_ip), Some(trusted)) = (peer, trusted) else {
        return peer;
    };
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer_ip) {
        return peer;
    }
    let entries: Vec<&str> = forwarded
        .into_iter()
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer_ip;
    for entry in entries.iter().rev() {
        let Ok(ip) = entry.parse::<IpAddr>().map(|ip| ip.to_canonical()) else {
            return peer;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// The key an address is throttled under: IPv4 addresses one by one, IPv6 by their /64 (one
/// subscriber usually holds a whole /64).
pub fn throttle_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match ipnet::Ipv6Net::new(v6, 64) {
            Ok(net) => net.trunc().to_string(),
            Err(_) => v6.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    fn nets(s: &str) -> Vec<IpNet> {
        parse_trusted_proxies(s).expect("test networks")
    }

    #[test]
    fn without_trust_the_peer_is_the_client_whatever_the_header_says() {
        let peer = Some(ip("127.0.0.1"));
        assert_eq!(client_address(peer, ["203.0.113.9"], None), peer);
    }

    #[test]
    fn a_peer_that_is_not_a_trusted_proxy_is_the_client() {
        let trusted = nets("10.0.0.0/8");
        let peer = Some(ip("198.51.100.7"));
        assert_eq!(client_address(peer, ["203.0.113.9"], Some(&trusted)), peer);
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client_not_the_one_the_client_wrote() {
        let trusted = nets("10.0.0.0/8, 127.0.0.1");
        // The client wrote "1.2.3.4"; the edge proxy appended the address it saw; an inner
        // proxy (10.0.0.5) appended the edge's.
        let got = client_address(
            Some(ip("127.0.0.1")),
            ["1.2.3.4, 203.0.113.9, 10.0.0.5"],
            Some(&trusted),
        );
        assert_eq!(got, Some(ip("203.0.113.9")));
    }

    #[test]
    fn repeated_header_lines_are_one_list() {
        let trusted = nets("127.0.0.1");
        let got = client_address(
            Some(ip("127.0.0.1")),
            ["1.2.3.4", "203.0.113.9"],
            Some(&trusted),
        );
        assert_eq!(got, Some(ip("203.0.113.9")));
    }

    #[test]
    fn a_malformed_entry_falls_back_to_the_peer() {
        let trusted = nets("127.0.0.1");
        let peer = Some(ip("127.0.0.1"));
        assert_eq!(
            client_address(peer, ["203.0.113.9, not-an-address"], Some(&trusted)),
            peer
        );
    }

    #[test]
    fn ipv6_clients_are_throttled_by_their_slash_64_and_mapped_v4_as_v4() {
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:bbbb::9")),
            throttle_key(ip("2001:db8:1:2:aaaa::1"))
        );
        assert_ne!(
            throttle_key(ip("2001:db8:1:3::1")),
            throttle_key(ip("2001:db8:1:2::1"))
        );
        let trusted = nets("127.0.0.1");
        let got = client_address(
            Some(ip("::ffff:127.0.0.1")),
            ["::ffff:203.0.113.9"],
            Some(&trusted),
        );
        assert_eq!(got, Some(ip("203.0.113.9")));
    }

    #[test]
    fn trusted_proxies_are_parsed_or_refused_with_the_entry_named() {
        assert_eq!(nets("10.0.0.0/8, 192.0.2.1").len(), 2);
        let err = parse_trusted_proxies("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(err.contains("proxy.local"), "{err}");
        assert!(default_trusted_proxies()
            .iter()
            .any(|n| n.contains(&ip("::1"))));
    }
}
