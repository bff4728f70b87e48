//! Network addresses: IPv4, IPv6, MAC.

use std::net::Ipv6Addr;

/// IPv4 dotted quad: four decimal octets 0-255, no leading zeros.
pub(super) fn ipv4(value: &[u8]) -> bool {
    let mut octets = 0;
    for part in value.split(|&b| b == b'.') {
        octets += 1;
        let ok = match part {
            [b'0'] => true,
            [b'1'..=b'9', rest @ ..] if rest.len() <= 2 => {
                rest.iter().all(u8::is_ascii_digit)
                    && part.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0')) <= 255
            }
            _ => false,
        };
        if !ok || octets > 4 {
            return false;
        }
    }
    octets == 4
}

/// IPv6 in any standard text form, `::` compression and a trailing embedded
/// IPv4 included; no zone or brackets.
pub(super) fn ipv6(value: &[u8]) -> bool {
    // The longest text form is 45 bytes; the bound keeps parsing cheap.
    value.len() <= 45 && std::str::from_utf8(value).is_ok_and(|s| s.parse::<Ipv6Addr>().is_ok())
}

/// MAC address: 6 hex octets separated consistently by `:` or `-`, or Cisco
/// style as 3 dotted groups of 4; not all zero and not broadcast.
pub(super) fn mac(value: &[u8]) -> bool {
    // Separators every `group` bytes: `aa:bb:..` in threes, `aabb.ccdd.eeff` in fives.
    let (sep, group) = match value.len() {
        17 if matches!(value[2], b':' | b'-') => (value[2], 3),
        14 => (b'.', 5),
        _ => return false,
    };
    let mut hex = Vec::with_capacity(12);
    for (i, &b) in value.iter().enumerate() {
        if i % group == group - 1 {
            if b != sep {
                return false;
            }
        } else if b.is_ascii_hexdigit() {
            hex.push(b.to_ascii_lowercase());
        } else {
            return false;
        }
    }
    !hex.iter().all(|&b| b == b'0') && !hex.iter().all(|&b| b == b'f')
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn ipv4_table() {
        check_table(
            "ipv4",
            &["192.168.1.1", "0.0.0.0", "255.255.255.255", "10.0.0.254", "8.8.8.8", "172.16.100.9"],
            &[
                "256.1.1.1",
                "192.168.1",
                "192.168.1.1.1",
                "192.168.01.1",
                "192.168.1.",
                ".192.168.1",
                "192.168..1",
                "1.2.3.4a",
                "1,2,3,4",
                "1000.1.1.1",
                "",
            ],
        );
    }

    #[test]
    fn ipv6_table() {
        check_table(
            "ipv6",
            &[
                "2001:db8::1",
                "2001:0db8:0000:0000:0000:ff00:0042:8329",
                "::1",
                "::",
                "fe80::1ff:fe23:4567:890a",
                "::ffff:192.0.2.128",
                "2001:DB8:0:0:8:800:200C:417A",
            ],
            &[
                "2001:db8::1::1",
                "2001:db8:::1",
                "12345::1",
                "2001:db8::g",
                "1:2:3:4:5:6:7:8:9",
                "::ffff:192.0.2.256",
                "[::1]",
                "fe80::1%eth0",
                "192.168.1.1",
                "",
            ],
        );
    }

    #[test]
    fn mac_table() {
        check_table(
            "mac",
            &[
                "00:1A:2B:3C:4D:5E",
                "00-1a-2b-3c-4d-5e",
                "001a.2b3c.4d5e",
                "fe:ff:ff:ff:ff:ff",
                "00:00:00:00:00:01",
            ],
            &[
                "00:00:00:00:00:00",
                "FF:FF:FF:FF:FF:FF",
                "ff-ff-ff-ff-ff-ff",
                "0000.0000.0000",
                "00:1A:2B-3C:4D:5E",
                "00:1A:2B:3C:4D",
                "00:1A:2B:3C:4D:5G",
                "001A.2B3C:4D5E",
                "00.1A.2B.3C.4D.5E",
                "001a2b3c4d5e",
                "",
            ],
        );
    }
}
