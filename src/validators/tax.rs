//! Taxpayer numbers of other countries than the US.

use super::{checksum, grouped};

/// Australian Business Number: 11 digits, written together or as 2-3-3-3
/// with spaces; with 1 taken from the first digit, the digits weighted
/// 10, 1, 3, 5, ..., 19 sum to a multiple of 89.
pub(super) fn abn(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[2, 3, 3, 3], b" ") else { return false };
    let Some(mut d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    d[0] -= 1;
    const WEIGHTS: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    d.iter().zip(WEIGHTS).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 89 == 0
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn abn_table() {
        check_table(
            "abn",
            &[
                "51 824 753 556",
                "51824753556",
                "53 004 085 616",
                "99 589 344 282",
                "27 417 308 215",
                "30660291834",
                "83 120 958 377",
            ],
            &[
                "51 824 753 557",
                "5182475355",
                "518247535566",
                "51-824-753-556",
                "01 824 753 556",
                "51 8247 53556",
            ],
        );
    }
}
