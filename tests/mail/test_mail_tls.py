"""Mail over TLS, as real providers serve it: Dovecot and the SMTP front end with a certificate
from a private CA made for the test. IMAPS and SMTPS speak TLS from the first byte; IMAP and SMTP
take a login only after STARTTLS. The harness trusts the CA only when told to (``SSL_CERT_FILE``,
OpenSSL's own variable, as for any private CA), and an untrusted server is one clear line."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ACCOUNTS, ANN, SUPPORT, needs_dovecot
from journeys.channels.written import Mailbox, MailThread, Outbox
from journeys.company.mail import MailLogin, MailServer
from journeys.errors import MailServerUnreachable
from sandbox.mail import MailEndpoints, MailServers, ServerCertificate


def _openssl(*arguments: str, folder: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ServerCertificate]:
    """A private CA, and a certificate it signed for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=mystery-shopper test CA", folder=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=127.0.0.1", folder=folder)  # fmt: skip
    (folder / "names.ext").write_text("subjectAltName = IP:127.0.0.1, DNS:localhost\n", encoding="utf-8")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "names.ext", folder=folder)  # fmt: skip
    return folder / "ca.pem", ServerCertificate(folder / "server.pem", folder / "server.key")


@pytest.fixture(scope="module")
def secure_mail(authority: tuple[Path, ServerCertificate]) -> Iterator[MailEndpoints]:
    needs_dovecot()
    with MailServers(ACCOUNTS, tls=authority[1]) as endpoints:
        yield endpoints


@pytest.fixture
def trusted(authority: tuple[Path, ServerCertificate], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[0]))


@pytest.mark.parametrize(("imap_security", "smtp_security"), [("tls", "starttls"), ("starttls", "tls")])
def test_a_reply_is_read_and_a_mail_sent_over_tls(
    secure_mail: MailEndpoints, trusted: None, imap_security: str, smtp_security: str
) -> None:
    host = secure_mail.host
    imap_port = secure_mail.imaps_port if imap_security == "tls" else secure_mail.imap_port
    smtp_port = secure_mail.smtps_port if smtp_security == "tls" else secure_mail.smtp_port
    imap = MailServer(host, imap_port, imap_security)  # type: ignore[arg-type]
    smtp = MailServer(host, smtp_port, smtp_security)  # type: ignore[arg-type]
    thread = MailThread.new(ANN.address, plus_addressing=True)
    with Mailbox(imap, MailLogin(ANN.address, ANN.password), poll_seconds=60) as mailbox:
        sent = Outbox(smtp, MailLogin(ANN.address, ANN.password)).send(
            thread, to=SUPPORT.address, subject="Warranty claim", text="It broke."
        )
        support = MailThread.new(SUPPORT.address, plus_addressing=False)
        Outbox(smtp, MailLogin(SUPPORT.address, SUPPORT.password)).send(
            support, to=thread.address, subject=f"Re: {sent.subject}", text="Case WC-1.", answering=None
        )
        letters = mailbox.wait_for(thread, timeout=10) or mailbox.wait_for(thread, timeout=10)
    assert [letter.sender for letter in letters] == [SUPPORT.address]


def test_plain_logins_are_refused_by_a_server_that_wants_tls(secure_mail: MailEndpoints) -> None:
    plain = MailServer(secure_mail.host, secure_mail.smtp_port, "none")
    with pytest.raises(MailServerUnreachable) as refused:
        Outbox(plain, MailLogin(ANN.address, ANN.password)).send(
            MailThread.new(ANN.address, plus_addressing=True), to=SUPPORT.address, subject="Hi", text="Hi"
        )
    assert "STARTTLS" in str(refused.value) and ANN.password not in str(refused.value)


def test_a_server_whose_certificate_is_not_trusted_is_one_line(secure_mail: MailEndpoints) -> None:
    imaps = MailServer(secure_mail.host, secure_mail.imaps_port, "tls")
    with pytest.raises(MailServerUnreachable) as untrusted:
        Mailbox(imaps, MailLogin(ANN.address, ANN.password)).open()
    message = str(untrusted.value)
    assert "certificate verify failed" in message and "\n" not in message
    assert ANN.password not in message
