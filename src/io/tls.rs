//! TLS for the draft `wss://` transport: rustls (ring) configured from the
//! socket's `ZMQ_WSS_*` options, and an adapter that lets the session's
//! pumps read and write a TLS stream.
//!
//! libzmq 4.3.5 does TLS with GnuTLS; what carries over is its observable
//! behaviour:
//! - a server needs `ZMQ_WSS_CERT_PEM` and `ZMQ_WSS_KEY_PEM` (libzmq
//!   asserts at bind when they do not load; here the bind fails with
//!   `EINVAL`);
//! - a client trusts the certificates of `ZMQ_WSS_TRUST_PEM` and, with
//!   `ZMQ_WSS_TRUST_SYSTEM`, the system's; it checks the server's name
//!   against `ZMQ_WSS_HOSTNAME` when one is set (GnuTLS
//!   `gnutls_certificate_verify_peers3` with that name), also sending it as
//!   SNI; with none set, the name is not checked;
//! - as in GnuTLS, a server certificate that is itself one of the trusted
//!   certificates is trusted as it is (a self-signed certificate, even one
//!   marked as a CA, which webpki alone refuses as an end entity), and a
//!   name is matched against the certificate's DNS names, or against its
//!   common name when it has none.
//!
//! A server's configuration (with its key) is built once per certificate
//! and key and kept for the process (at most 8 pairs), so that a flood of
//! connections does not re-check an RSA key for each; libzmq keeps its
//! credentials for the listener's life.
//!
//! Nothing here is cryptography of our own: rustls does the handshake and
//! records, webpki the chain and signatures; x509-parser only reads the
//! names and validity out of a certificate. The one `unsafe` is setting a
//! read buffer's length over the bytes just copied into it.

use crate::error::{Error, Result};
use crate::options::Options;
use compio::buf::{BufResult, IoBuf, IoBufMut, IoVectoredBuf};
use compio::io::{AsyncRead, AsyncWrite};
use futures_util::io::{AsyncReadExt as _, AsyncWriteExt as _};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme};
use std::sync::{Arc, Mutex, OnceLock};

fn provider() -> Arc<CryptoProvider> {
    static P: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    // ring, not aws-lc-rs: no cmake and C build of aws-lc; its key
    // exchanges (X25519, P-256, P-384) are what GnuTLS peers offer too.
    // (rustls 0.23.48 deprecates it only for lacking post-quantum ones.)
    #[allow(deprecated)]
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

/// Every certificate in a PEM text; `EINVAL` when there is none or one
/// does not parse.
fn certs_of(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::INVAL)?;
    if certs.is_empty() {
        return Err(Error::INVAL);
    }
    Ok(certs)
}

/// The server side of a `wss://` listener, from `ZMQ_WSS_CERT_PEM` and
/// `ZMQ_WSS_KEY_PEM`. Built once per certificate and key (an RSA key's
/// check costs milliseconds): the accepted connections of a listener, and
/// the listeners with the same pair, share it.
pub fn server_config(o: &Options) -> Result<Arc<ServerConfig>> {
    type Cache = Vec<(Vec<u8>, Vec<u8>, Arc<ServerConfig>)>;
    static CACHE: Mutex<Cache> = Mutex::new(Vec::new());
    let (cert, key) = (&o.wss_cert_pem[..], &o.wss_key_pem[..]);
    if cert.is_empty() || key.is_empty() {
        return Err(Error::INVAL);
    }
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, _, c)) = cache.iter().find(|(c, k, _)| c == cert && k == key) {
        return Ok(c.clone());
    }
    let chain = certs_of(cert)?;
    let key = PrivateKeyDer::from_pem_slice(key).map_err(|_| Error::INVAL)?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::INVAL)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| {
            tracing::warn!(target: "monocoque::tls", "ZMQ_WSS_CERT_PEM/ZMQ_WSS_KEY_PEM refused: {e}");
            Error::INVAL
        })?;
    let config = Arc::new(config);
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push((cert.to_vec(), o.wss_key_pem.to_vec(), config.clone()));
    Ok(config)
}

/// Where Debian and its neighbours keep the system's trusted
/// certificates, as one PEM file (`SSL_CERT_FILE` first, as OpenSSL).
fn system_certs() -> Vec<CertificateDer<'static>> {
    let mut files: Vec<String> = std::env::var("SSL_CERT_FILE").into_iter().collect();
    files.extend(
        [
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/cert.pem",
        ]
        .map(String::from),
    );
    for f in files {
        if let Ok(pem) = std::fs::read(&f) {
            let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
                .filter_map(|c| c.ok())
                .collect();
            if !certs.is_empty() {
                return certs;
            }
        }
    }
    Vec::new()
}

/// The client side of a `wss://` connecter: what it trusts and the name
/// it checks (`ZMQ_WSS_HOSTNAME`, else none: the endpoint's host is then
/// only the SNI rustls needs). `EINVAL` when `ZMQ_WSS_TRUST_PEM` does not
/// parse (libzmq asserts).
pub fn client_config(o: &Options, host: &str) -> Result<(Arc<ClientConfig>, String)> {
    let mut trusted = Vec::new();
    if !o.wss_trust_pem.is_empty() {
        trusted.extend(certs_of(&o.wss_trust_pem)?);
    }
    if o.wss_trust_system {
        trusted.extend(system_certs());
    }
    let check_name = (!o.wss_hostname.is_empty()).then(|| o.wss_hostname.clone());
    let sni = check_name.as_deref().unwrap_or(host);
    let sni = sni.trim_start_matches('[').trim_end_matches(']');
    // What rustls takes as a server name (a DNS name or an IP address);
    // anything else (a `*` host) goes as "localhost", unchecked.
    let server_name = if ServerName::try_from(sni.to_string()).is_ok() {
        sni.to_string()
    } else {
        "localhost".to_string()
    };
    let verifier = Arc::new(Verifier {
        trusted,
        name: check_name,
        provider: provider(),
    });
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::INVAL)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok((Arc::new(config), server_name))
}

/// The client's check of the server's certificate, as GnuTLS makes it for
/// libzmq (see the module's notes).
#[derive(Debug)]
struct Verifier {
    trusted: Vec<CertificateDer<'static>>,
    /// `ZMQ_WSS_HOSTNAME`, when set.
    name: Option<String>,
    provider: Arc<CryptoProvider>,
}

fn bad(e: rustls::CertificateError) -> rustls::Error {
    rustls::Error::InvalidCertificate(e)
}

/// Whether `name` matches a DNS name pattern of a certificate (a leading
/// `*.` matches one label), compared without case.
fn name_matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.to_ascii_lowercase(), name.to_ascii_lowercase());
    let n = n.trim_end_matches('.');
    let p = p.trim_end_matches('.');
    if let Some(rest) = p.strip_prefix("*.") {
        return n
            .split_once('.')
            .is_some_and(|(first, tail)| !first.is_empty() && tail == rest);
    }
    p == n
}

/// The certificate's validity at `now` and, with `name`, whether it names
/// it: its DNS names (or IP addresses), else its common name.
fn check_cert(
    der: &[u8],
    name: Option<&str>,
    now: UnixTime,
) -> std::result::Result<(), rustls::Error> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| bad(rustls::CertificateError::BadEncoding))?;
    let now = now.as_secs() as i64;
    let validity = cert.validity();
    if now < validity.not_before.timestamp() {
        return Err(bad(rustls::CertificateError::NotValidYet));
    }
    if now > validity.not_after.timestamp() {
        return Err(bad(rustls::CertificateError::Expired));
    }
    let Some(name) = name else {
        return Ok(());
    };
    let ip: Option<std::net::IpAddr> = name.trim_matches(|c| c == '[' || c == ']').parse().ok();
    let mut dns_names = 0;
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => {
                    dns_names += 1;
                    if ip.is_none() && name_matches(d, name) {
                        return Ok(());
                    }
                }
                GeneralName::IPAddress(bytes) => {
                    let theirs = match bytes.len() {
                        4 => <[u8; 4]>::try_from(*bytes).ok().map(std::net::IpAddr::from),
                        16 => <[u8; 16]>::try_from(*bytes)
                            .ok()
                            .map(std::net::IpAddr::from),
                        _ => None,
                    };
                    if theirs.is_some() && theirs == ip {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
    }
    if dns_names == 0 && ip.is_none() {
        let cn_matches = cert
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok())
            .any(|cn| name_matches(cn, name));
        if cn_matches {
            return Ok(());
        }
    }
    Err(bad(rustls::CertificateError::NotValidForName))
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let pinned = self
            .trusted
            .iter()
            .any(|t| t.as_ref() == end_entity.as_ref());
        if !pinned {
            let anchors: Vec<_> = self
                .trusted
                .iter()
                .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
                .collect();
            if anchors.is_empty() {
                return Err(bad(rustls::CertificateError::UnknownIssuer));
            }
            let cert = webpki::EndEntityCert::try_from(end_entity)
                .map_err(|_| bad(rustls::CertificateError::BadEncoding))?;
            cert.verify_for_usage(
                self.provider.signature_verification_algorithms.all,
                &anchors,
                intermediates,
                now,
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .map_err(|e| {
                tracing::debug!(target: "monocoque::tls", "server certificate refused: {e}");
                bad(rustls::CertificateError::UnknownIssuer)
            })?;
        }
        check_cert(end_entity.as_ref(), self.name.as_deref(), now)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Plaintext read from a TLS stream at most per call: the session may
/// offer a whole large body's buffer, and this is the part of it cleared
/// before each read (the stream gives at most one record, 16 KiB, anyway).
const READ_MAX: usize = 64 * 1024;

/// A futures-io stream (a TLS stream or one of its halves) offered to the
/// session's pumps as a compio one. Writes are flushed at once: the pumps
/// do not flush, and a TLS stream keeps what it encrypted until it is.
pub struct FuturesIo<T> {
    io: T,
    scratch: Vec<u8>,
}

impl<T> FuturesIo<T> {
    pub fn new(io: T) -> FuturesIo<T> {
        FuturesIo {
            io,
            scratch: Vec::new(),
        }
    }

    pub fn into_inner(self) -> T {
        self.io
    }
}

impl<T: futures_util::io::AsyncRead + Unpin> AsyncRead for FuturesIo<T> {
    async fn read<B: IoBufMut>(&mut self, mut buf: B) -> BufResult<usize, B> {
        let room = (buf.buf_capacity() - buf.buf_len()).min(READ_MAX);
        if room == 0 {
            return BufResult(Ok(0), buf);
        }
        self.scratch.resize(room, 0);
        let res = match self.io.read(&mut self.scratch[..room]).await {
            Ok(n) => {
                // Into the buffer's spare room (a fixed-size slice of a
                // body cannot grow: `extend_from_slice` would refuse it).
                let len = buf.buf_len();
                let spare = &mut buf.as_uninit()[len..len + n];
                for (to, from) in spare.iter_mut().zip(&self.scratch[..n]) {
                    *to = std::mem::MaybeUninit::new(*from);
                }
                // SAFETY: `len + n` is within the buffer's capacity (`n` is
                // at most the `room` measured from it), and the `n` bytes
                // past `len` were written just above.
                unsafe { buf.set_len(len + n) };
                Ok(n)
            }
            // A peer that closes without TLS's close_notify: the end.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(0),
            Err(e) => Err(e),
        };
        BufResult(res, buf)
    }
}

impl<T: futures_util::io::AsyncWrite + Unpin> AsyncWrite for FuturesIo<T> {
    async fn write<B: IoBuf>(&mut self, buf: B) -> BufResult<usize, B> {
        let res = async {
            let n = self.io.write(buf.as_init()).await?;
            self.io.flush().await?;
            Ok(n)
        }
        .await;
        BufResult(res, buf)
    }

    async fn write_vectored<B: IoVectoredBuf>(&mut self, buf: B) -> BufResult<usize, B> {
        let res = async {
            let slices: Vec<std::io::IoSlice<'_>> =
                buf.iter_slice().map(std::io::IoSlice::new).collect();
            let n = self.io.write_vectored(&slices).await?;
            self.io.flush().await?;
            Ok(n)
        }
        .await;
        BufResult(res, buf)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        self.io.flush().await
    }

    async fn shutdown(&mut self) -> std::io::Result<()> {
        self.io.close().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Self-signed, marked as a CA, common name `monocoque.test`, no
    /// subjectAltName (made with openssl for these tests and the compat
    /// case `draft_wss_transport`).
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBiDCCAS+gAwIBAgIUYHMf27Lhe/0SbGJGUQWy3dIFs8YwCgYIKoZIzj0EAwIw\nGTEXMBUGA1UEAwwObW9ub2NvcXVlLnRlc3QwIBcNMjYxMjA1MTMzNzQ2WhgPMjEy\nNjExMTExMzM3NDZaMBkxFzAVBgNVBAMMDm1vbm9jb3F1ZS50ZXN0MFkwEwYHKoZI\nzj0CAQYIKoZIzj0DAQcDQgAEus5m2pKgm+XB3pfIcAJBsRF9e5oxNFdgOz9nIuGa\nlkig5W6LrJHsjOr85Sn771aKKqCz8QQxSTwx+QxguKMwIaNTMFEwHQYDVR0OBBYE\nFPVeEWBCC+wWjAACe9xsfbUA09d6MB8GA1UdIwQYMBaAFPVeEWBCC+wWjAACe9xs\nfbUA09d6MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgBaTlgSIg\nfBknc1PNly5U2ggj8mfjEQgU5R9/+JDn9ikCIDl6oOTsN3pyROL8WH8ETr+HZGo9\n/RkA32A4jTjOOXbG\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7eOiHo9nXkFueTRi\nZN4IYV1pBAiyYOC9LyZ0QgjZh/qhRANCAAS6zmbakqCb5cHel8hwAkGxEX17mjE0\nV2A7P2ci4ZqWSKDlbouskeyM6vzlKfvvVooqoLPxBDFJPDH5DGC4ozAh\n-----END PRIVATE KEY-----\n";

    fn options() -> Options {
        Options::new(crate::zmtp::socket_type::ZMQ_REP, false, true)
    }

    #[test]
    fn a_server_needs_a_certificate_and_its_key() {
        let mut o = options();
        assert_eq!(server_config(&o).err(), Some(Error::INVAL));
        o.wss_cert_pem = CERT.into();
        assert_eq!(server_config(&o).err(), Some(Error::INVAL));
        o.wss_key_pem = "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n".into();
        assert_eq!(server_config(&o).err(), Some(Error::INVAL));
        o.wss_key_pem = KEY.into();
        let a = server_config(&o).expect("the pair loads");
        let b = server_config(&o).expect("the pair loads again");
        assert!(Arc::ptr_eq(&a, &b), "built once per pair");
    }

    #[test]
    fn a_client_refuses_a_trust_text_without_certificates() {
        let mut o = options();
        o.wss_trust_pem = "not a certificate".into();
        assert_eq!(client_config(&o, "h").err(), Some(Error::INVAL));
        o.wss_trust_pem = CERT.into();
        let (_, sni) = client_config(&o, "127.0.0.1").unwrap();
        assert_eq!(sni, "127.0.0.1");
        o.wss_hostname = "monocoque.test".into();
        let (_, sni) = client_config(&o, "127.0.0.1").unwrap();
        assert_eq!(sni, "monocoque.test");
    }

    fn verifier(trusted: &str, name: Option<&str>) -> Verifier {
        Verifier {
            trusted: if trusted.is_empty() {
                Vec::new()
            } else {
                certs_of(trusted.as_bytes()).unwrap()
            },
            name: name.map(String::from),
            provider: provider(),
        }
    }

    #[test]
    fn a_trusted_self_signed_certificate_is_checked_by_its_common_name() {
        let cert = certs_of(CERT.as_bytes()).unwrap().remove(0);
        let sni = ServerName::try_from("monocoque.test").unwrap();
        let now = UnixTime::now();
        let check = |v: Verifier| v.verify_server_cert(&cert, &[], &sni, &[], now).is_ok();
        assert!(check(verifier(CERT, Some("monocoque.test"))));
        assert!(check(verifier(CERT, Some("MONOCOQUE.test"))));
        assert!(check(verifier(CERT, None)), "no name set: none checked");
        assert!(!check(verifier(CERT, Some("other.test"))));
        assert!(
            !check(verifier("", Some("monocoque.test"))),
            "nothing trusted"
        );
        // Past its validity: refused even though trusted.
        let later = UnixTime::since_unix_epoch(std::time::Duration::from_secs(200 * 365 * 86400));
        assert!(verifier(CERT, None)
            .verify_server_cert(&cert, &[], &sni, &[], later)
            .is_err());
    }

    #[test]
    fn names_match_as_certificates_name_them() {
        assert!(name_matches("zeromq.org", "ZeroMQ.org"));
        assert!(name_matches("*.example.com", "a.example.com"));
        assert!(!name_matches("*.example.com", "a.b.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(!name_matches("example.com", "other.com"));
    }
}
