//! The canonical labels of identifiers (see `docs/rule-packs.md` and EVAL.md).

use std::fmt;
use std::str::FromStr;

macro_rules! labels {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// A canonical identifier label.
        ///
        /// Every rule reports one of these, either directly or through a finer
        /// label declared by its pack that maps onto one of them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Label {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Label {
            /// Every canonical label, in documentation order.
            pub const ALL: &'static [Label] = &[$(Label::$variant,)*];

            /// The label's name as written in packs, reports and masks (`"PERSON"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Label::$variant => $name,)*
                }
            }
        }

        impl FromStr for Label {
            type Err = UnknownLabel;

            fn from_str(s: &str) -> Result<Label, UnknownLabel> {
                match s {
                    $($name => Ok(Label::$variant),)*
                    _ => Err(UnknownLabel),
                }
            }
        }
    };
}

labels! {
    /// Names of patients, relatives, clinicians, account holders; initials.
    Person => "PERSON",
    /// Geography smaller than a state: street address, city, county, ZIP, facility names.
    Location => "LOCATION",
    /// Any date element other than a bare year, with attached times.
    Date => "DATE",
    /// Ages over 89.
    Age => "AGE",
    /// Telephone and fax numbers.
    Phone => "PHONE",
    /// Email addresses.
    Email => "EMAIL",
    /// US social security numbers.
    Ssn => "SSN",
    /// Medical record numbers, patient and encounter ids.
    Mrn => "MRN",
    /// Health plan beneficiary and member ids, Medicare MBI.
    HealthPlanId => "HEALTH_PLAN_ID",
    /// Bank and other account numbers.
    AccountNumber => "ACCOUNT_NUMBER",
    /// Certificate and license numbers: driver's license, DEA, NPI, passport.
    LicenseNumber => "LICENSE_NUMBER",
    /// VINs and license plates.
    VehicleId => "VEHICLE_ID",
    /// Device identifiers and serial numbers, IMEI, UDI.
    DeviceId => "DEVICE_ID",
    /// Web addresses.
    Url => "URL",
    /// IPv4 and IPv6 addresses.
    IpAddress => "IP_ADDRESS",
    /// Any other unique identifying number or code.
    Id => "ID",
    /// Payment card numbers (PAN).
    CreditCard => "CREDIT_CARD",
    /// CVV/CVC codes and card expiry dates next to a card.
    CardSecurity => "CARD_SECURITY",
    /// International bank account numbers.
    Iban => "IBAN",
    /// ABA routing transit numbers, sort codes.
    RoutingNumber => "ROUTING_NUMBER",
    /// SWIFT / BIC codes.
    SwiftBic => "SWIFT_BIC",
    /// EIN, ITIN and other taxpayer ids.
    TaxId => "TAX_ID",
    /// ISIN, CUSIP, SEDOL, LEI.
    SecurityId => "SECURITY_ID",
    /// Cryptocurrency wallet addresses.
    CryptoAddress => "CRYPTO_ADDRESS",
    /// Hardware MAC addresses.
    MacAddress => "MAC_ADDRESS",
    /// Employer and company names.
    Organization => "ORGANIZATION",
    /// API keys, passwords, tokens.
    Secret => "SECRET",
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a string that is not a canonical label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownLabel;

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a canonical label")
    }
}

impl std::error::Error for UnknownLabel {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &label in Label::ALL {
            assert_eq!(label.as_str().parse::<Label>(), Ok(label));
        }
        assert_eq!(Label::ALL.len(), 27);
        assert!("person".parse::<Label>().is_err());
    }
}
