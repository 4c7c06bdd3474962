//! Just enough DER to read and write the key containers Dfns users hold (PKCS#8, SEC1, PKCS#1,
//! SPKI). `ring` parses the keys themselves; this only finds out *which* key a file holds, so
//! that an unsupported one gets an error that names it.

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
/// `[0]` constructed, context-specific (SEC1 curve parameters).
pub(crate) const CONTEXT_0: u8 = 0xa0;
/// `[1]` constructed, context-specific (SEC1 public key).
pub(crate) const CONTEXT_1: u8 = 0xa1;

/// Object identifiers, as the content bytes of their DER encoding.
pub(crate) mod oid {
    pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub(crate) const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub(crate) const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    pub(crate) const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
    pub(crate) const SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];
    pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub(crate) const ED448: &[u8] = &[0x2b, 0x65, 0x71];
    pub(crate) const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub(crate) const RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
}

/// A cursor over DER bytes. Every read returns `None` on malformed input; nothing panics.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(der: &'a [u8]) -> Self {
        Self { rest: der }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads one element with the given tag and returns its content.
    pub(crate) fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (&actual, rest) = self.rest.split_first()?;
        if actual != tag {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            // Long form: 1 to 3 length bytes are plenty for keys.
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 3 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b))
        };
        if rest.len() < len {
            return None;
        }
        let (content, after) = rest.split_at(len);
        self.rest = after;
        Some(content)
    }

    /// Reads an element with the given tag if it comes next.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.peek_tag() == Some(tag) {
            self.read(tag)
        } else {
            None
        }
    }
}

/// Encodes one element: tag, definite length, content.
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// An `AlgorithmIdentifier`: the algorithm OID and, when present, a parameter OID (the curve).
pub(crate) struct AlgorithmId<'a> {
    pub(crate) algorithm: &'a [u8],
    pub(crate) curve: Option<&'a [u8]>,
}

impl<'a> AlgorithmId<'a> {
    pub(crate) fn read(outer: &mut Reader<'a>) -> Option<Self> {
        let mut inner = Reader::new(outer.read(SEQUENCE)?);
        let algorithm = inner.read(OID)?;
        let curve = inner.read_optional(OID);
        Some(Self { algorithm, curve })
    }
}

/// The parts of a PKCS#8 `PrivateKeyInfo` needed to pick a key type.
pub(crate) struct Pkcs8<'a> {
    pub(crate) algorithm: AlgorithmId<'a>,
    pub(crate) private_key: &'a [u8],
}

impl<'a> Pkcs8<'a> {
    pub(crate) fn parse(der: &'a [u8]) -> Option<Self> {
        let mut outer = Reader::new(der);
        let mut info = Reader::new(outer.read(SEQUENCE)?);
        info.read(INTEGER)?;
        let algorithm = AlgorithmId::read(&mut info)?;
        let private_key = info.read(OCTET_STRING)?;
        Some(Self {
            algorithm,
            private_key,
        })
    }
}

/// A SEC1 `ECPrivateKey`.
pub(crate) struct Sec1<'a> {
    pub(crate) private_key: &'a [u8],
    pub(crate) curve: Option<&'a [u8]>,
    /// The uncompressed public point, when the file carries it.
    pub(crate) public_key: Option<&'a [u8]>,
}

impl<'a> Sec1<'a> {
    pub(crate) fn parse(der: &'a [u8]) -> Option<Self> {
        let mut outer = Reader::new(der);
        let mut key = Reader::new(outer.read(SEQUENCE)?);
        if key.read(INTEGER)? != [1] {
            return None;
        }
        let private_key = key.read(OCTET_STRING)?;
        let curve = match key.read_optional(CONTEXT_0) {
            Some(params) => Some(Reader::new(params).read(OID)?),
            None => None,
        };
        let public_key = match key.read_optional(CONTEXT_1) {
            Some(wrapped) => Some(bit_string(Reader::new(wrapped).read(BIT_STRING)?)?),
            None => None,
        };
        Some(Self {
            private_key,
            curve,
            public_key,
        })
    }
}

/// A `SubjectPublicKeyInfo`.
pub(crate) struct Spki<'a> {
    pub(crate) algorithm: AlgorithmId<'a>,
    pub(crate) public_key: &'a [u8],
}

impl<'a> Spki<'a> {
    pub(crate) fn parse(der: &'a [u8]) -> Option<Self> {
        let mut outer = Reader::new(der);
        let mut info = Reader::new(outer.read(SEQUENCE)?);
        let algorithm = AlgorithmId::read(&mut info)?;
        let public_key = bit_string(info.read(BIT_STRING)?)?;
        if !info.is_empty() || !outer.is_empty() {
            return None;
        }
        Some(Self {
            algorithm,
            public_key,
        })
    }

    pub(crate) fn encode(algorithm: &[u8], curve: Option<&[u8]>, public_key: &[u8]) -> Vec<u8> {
        let mut alg = encode(OID, algorithm);
        match curve {
            Some(curve) => alg.extend(encode(OID, curve)),
            // RSA's AlgorithmIdentifier carries an explicit NULL; EdDSA's carries nothing.
            None if algorithm == oid::RSA => alg.extend(encode(NULL, &[])),
            None => {}
        }
        let mut bits = Vec::with_capacity(public_key.len() + 1);
        bits.push(0);
        bits.extend_from_slice(public_key);
        let mut info = encode(SEQUENCE, &alg);
        info.extend(encode(BIT_STRING, &bits));
        encode(SEQUENCE, &info)
    }
}

/// The bits of a BIT STRING whose length is a whole number of bytes.
fn bit_string(content: &[u8]) -> Option<&[u8]> {
    match content.split_first() {
        Some((0, bits)) => Some(bits),
        _ => None,
    }
}

/// The size in bits of the modulus of a PKCS#1 `RSAPrivateKey` or `RSAPublicKey`.
pub(crate) fn rsa_modulus_bits(pkcs1: &[u8]) -> Option<usize> {
    let mut outer = Reader::new(pkcs1);
    let mut key = Reader::new(outer.read(SEQUENCE)?);
    if key.peek_tag() == Some(INTEGER) {
        // A private key starts with its version; a public key with the modulus.
        let first = key.read(INTEGER)?;
        if first.len() > 1 {
            return Some(integer_bits(first));
        }
    }
    Some(integer_bits(key.read(INTEGER)?))
}

fn integer_bits(int: &[u8]) -> usize {
    let int = match int.iter().position(|&b| b != 0) {
        Some(start) => &int[start..],
        None => return 0,
    };
    int.len() * 8 - int[0].leading_zeros() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_in_short_and_long_form() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let encoded = encode(OCTET_STRING, &content);
            assert_eq!(Reader::new(&encoded).read(OCTET_STRING), Some(&content[..]));
        }
    }

    #[test]
    fn truncated_or_mistagged_input_reads_as_none() {
        assert_eq!(Reader::new(&[0x04, 0x05, 1, 2]).read(OCTET_STRING), None);
        assert_eq!(
            Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1]).read(OCTET_STRING),
            None
        );
        assert_eq!(Reader::new(&[0x04, 0x80]).read(OCTET_STRING), None);
        assert_eq!(Reader::new(&[0x02, 0x01, 0x01]).read(OCTET_STRING), None);
        assert_eq!(Reader::new(&[]).read(OCTET_STRING), None);
    }

    #[test]
    fn integer_bits_ignores_leading_zero_bytes() {
        assert_eq!(integer_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(integer_bits(&[0x01]), 1);
        assert_eq!(integer_bits(&[0x00]), 0);
    }
}
