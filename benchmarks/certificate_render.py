"""Certificate rendering benchmark: WeasyPrint with the GB2312 subset font, the QR code and the
PAdES e-seal (certificates/rendering.py, certificates/signing.py). Prints figures; not a test.

    .venv/bin/python benchmarks/certificate_render.py               # about 2 minutes on 2 cores
    .venv/bin/python benchmarks/certificate_render.py --pages 80

Needs no database, Redis or network. Fresh-process figures come from child processes (this script
run with --child); everything else is measured in this process after `rendering.warm()`. Each
figure is a median; the throughput runs are repeated (--reps) and their median reported. "2 processes × N pages" is C_pdf, the bare render rate: the ceiling of
certificate issuing on this machine before signing and storage. The report is printed and written
to benchmarks/results/certificate-render-<date>-<time>.md (git-ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
PASSPHRASE = b"benchmark-passphrase"
CHILD_TIMEOUT = 300  # seconds; every subprocess is bounded in time
NAMES = ["张三丰", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一", "冯十二"]


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


def log(message: str) -> None:
    print(f"[{local_now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def setup_django(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def contexts(count: int) -> list[Any]:
    """`count` different certificates (holder, number, QR) on the default template."""
    from certificates import rendering

    template_html, template_css = rendering.default_template()
    sample = rendering.sample_context(template_html=template_html, template_css=template_css)
    return [
        dataclasses.replace(
            sample,
            holder_name=f"{NAMES[n % len(NAMES)]}{n}",
            number=f"JY2330106{n:07d}",
            verify_url=f"{sample.verify_url}&n={n}",
        )
        for n in range(count)
    ]


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def median_ms(function: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(function) for _ in range(repeat)) * 1000


# --------------------------------------------------------------------------------------------
# Child processes (fresh interpreters)
# --------------------------------------------------------------------------------------------


def child(mode: str, pages: int, start_at: float, settings_module: str) -> dict[str, float]:
    began = time.perf_counter()
    setup_django(settings_module)
    from certificates import rendering

    setup_s = time.perf_counter() - began
    batch = contexts(max(pages, 2))
    if mode == "cold":  # the first certificate with nothing warmed
        first = timed(lambda: rendering.render_certificate(batch[0]))
        second = timed(lambda: rendering.render_certificate(batch[1]))
        return {"setup_s": setup_s, "first_s": first, "second_s": second}
    if mode == "warm":  # what a Celery worker does: warm() in worker_process_init, then work
        warm = timed(rendering.warm)
        first = timed(lambda: rendering.render_certificate(batch[0]))
        return {"setup_s": setup_s, "warm_s": warm, "first_s": first}
    # throughput: warm up, wait for the common start, render `pages` pages
    rendering.warm()
    delay = start_at - time.time()
    if delay < 0:
        raise SystemExit("warm-up took longer than the start delay")
    time.sleep(delay)
    times = [timed(partial(rendering.render_certificate, context)) for context in batch[:pages]]
    return {"end": time.time(), "median_ms": statistics.median(times) * 1000}


def run_children(mode: str, processes: int, pages: int, settings_module: str) -> list[dict[str, float]]:  # fmt: skip
    start_at = time.time() + 12  # room for Django setup and warm-up in every child
    command = [sys.executable, __file__, "--child", mode, "--pages", str(pages)]
    command += ["--start-at", repr(start_at), "--settings", settings_module]
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(processes)
    ]
    results = []
    for process in running:
        stdout, _ = process.communicate(timeout=CHILD_TIMEOUT)
        if process.returncode != 0:
            raise SystemExit(f"child {mode} failed with exit code {process.returncode}")
        results.append({**json.loads(stdout.strip().splitlines()[-1]), "start_at": start_at})
    return results


def pages_per_second(processes: int, pages: int, settings_module: str) -> tuple[float, str]:
    """Pages per second over all processes, and each process's median page time."""
    results = run_children("throughput", processes, pages, settings_module)
    elapsed = max(r["end"] for r in results) - results[0]["start_at"]
    medians = " / ".join(f"{r['median_ms']:.0f}" for r in results)
    return processes * pages / elapsed, f"{medians} ms"


# --------------------------------------------------------------------------------------------
# In-process measurements
# --------------------------------------------------------------------------------------------


def stock_signer_sign(pdf: bytes, issuer: Any, root: Any, *, reuse: Any | None) -> bytes:
    """pyHanko as its docs show it: SimpleSigner and signers.sign_pdf (which measures the
    signature with a dry run, and SimpleSigner re-parses the key on each of both)."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = reuse or signers.SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(issuer.cert_pem)),
        signing_key=load_private_key_from_pemder_data(issuer.key_pem, passphrase=PASSPHRASE),
        cert_registry=SimpleCertificateStore.from_certs(load_certs_from_pemder_data(root.cert_pem)),  # type: ignore[no-untyped-call]
    )
    metadata_ = signers.PdfSignatureMetadata(
        field_name="Seal",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason="电子证照签发",
        location="杭州",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    return bytes(signers.sign_pdf(writer, metadata_, signer=signer).getvalue())


def in_process(pages: int) -> dict[str, Any]:
    import segno

    from certificates import fonts, rendering, signing

    figures: dict[str, Any] = {}
    figures["harfbuzz"] = fonts.harfbuzz_subsetting_available()
    log("warm-up")
    figures["warm_s"] = timed(rendering.warm)
    batch = contexts(pages)

    log(f"render × {pages}")
    render_times = [timed(partial(rendering.render_certificate, c)) for c in batch]
    figures["render_ms"] = statistics.median(render_times) * 1000
    figures["render_p90_ms"] = sorted(render_times)[int(len(render_times) * 0.9)] * 1000
    figures["html_ms"] = median_ms(lambda: rendering.render_html(batch[0]), 40)

    url = batch[0].verify_url
    figures["qr_png_ms"] = median_ms(lambda: rendering.qr_data_uri(url), 200)
    figures["qr_svg_ms"] = median_ms(
        lambda: segno.make(url, error="m", micro=False, mask=rendering.QR_MASK).svg_data_uri(
            border=4, omitsize=True
        ),
        200,
    )

    _html, pdf = rendering.render_certificate(batch[0])
    rare = dataclasses.replace(batch[0], holder_name="王㛃堃")
    figures["pdf_kb"] = len(pdf) / 1024
    figures["pdf_rare_kb"] = len(rendering.render_certificate(rare)[1]) / 1024

    log("signing")
    now = datetime.now(UTC)
    root = signing.make_root(
        common_name="通办电子印章根证书（基准）", passphrase=PASSPHRASE, now=now
    )
    issuer = signing.make_issuer(
        root=root, passphrase=PASSPHRASE, organisation="杭州市西湖区市场监督管理局",
        uscc="11330106002482106K", now=now,
    )  # fmt: skip

    def sign() -> bytes:
        return signing.sign_pdf(
            pdf, signer_key=issuer, chain=[root.cert_pem], passphrase=PASSPHRASE,
            reason="电子证照签发", location="杭州",
        )  # fmt: skip

    signed = sign()
    figures["signed_kb"] = len(signed) / 1024
    figures["sign_cached_ms"] = median_ms(sign, 40)
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    reused = signers.SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(issuer.cert_pem)),
        signing_key=load_private_key_from_pemder_data(issuer.key_pem, passphrase=PASSPHRASE),
        cert_registry=SimpleCertificateStore.from_certs(load_certs_from_pemder_data(root.cert_pem)),  # type: ignore[no-untyped-call]
    )
    figures["sign_stock_reused_ms"] = median_ms(
        lambda: stock_signer_sign(pdf, issuer, root, reuse=reused), 40
    )
    figures["sign_stock_fresh_ms"] = median_ms(
        lambda: stock_signer_sign(pdf, issuer, root, reuse=None), 40
    )
    check = signing.check_pdf(signed, trust_roots=[root.cert_pem])
    assert check.ok, check
    figures["check_ms"] = median_ms(
        lambda: signing.check_pdf(signed, trust_roots=[root.cert_pem]), 20
    )

    def issue(context: Any) -> None:
        _html, unsigned = rendering.render_certificate(context)
        signing.sign_pdf(
            unsigned, signer_key=issuer, chain=[root.cert_pem], passphrase=PASSPHRASE,
            reason="电子证照签发", location="杭州",
        )  # fmt: skip

    figures["issue_ms"] = statistics.median(timed(partial(issue, c)) for c in batch[:20]) * 1000
    return figures


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """The machine and versions (catalogue.host_description, plus the rendering stack)."""
    from benchmarks.catalogue import host_description

    return {
        **host_description(),
        "weasyprint": metadata.version("weasyprint"),
        "pyhanko": metadata.version("pyhanko"),
        "segno": metadata.version("segno"),
        "fonttools": metadata.version("fonttools"),
    }


def report(
    figures: dict[str, Any],
    cold: dict[str, float],
    warm: dict[str, float],
    rate_1: tuple[float, str],
    rate_2: tuple[float, str],
    pages: int,
) -> str:
    lines = [
        "# Certificate rendering benchmark",
        "",
        *(f"- {key}: {value}" for key, value in machine().items()),
        f"- HarfBuzz subsetting (libharfbuzz-subset0): {figures['harfbuzz']}",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Fresh process: Django setup | {cold['setup_s']:.2f} s |",
        f"| Fresh process: first certificate, nothing warmed (imports WeasyPrint) | {cold['first_s']:.2f} s |",
        f"| Fresh process: second certificate | {cold['second_s'] * 1000:.0f} ms |",
        f"| Worker start: `rendering.warm()` | {warm['warm_s']:.2f} s |",
        f"| Worker start: first real certificate after `warm()` (target ≤ 0.5 s) | {warm['first_s'] * 1000:.0f} ms |",
        f"| Render (HTML + PDF), median of {pages} pages | {figures['render_ms']:.1f} ms |",
        f"| Render, p90 | {figures['render_p90_ms']:.1f} ms |",
        f"| of which HTML (Django template + QR) | {figures['html_ms']:.1f} ms |",
        f"| 1 process × {pages} pages (median page) | {rate_1[0]:.1f} pages/s ({rate_1[1]}) |",
        f"| **C_pdf: 2 processes × {pages} pages** (median page in each) | **{rate_2[0]:.1f} pages/s** ({rate_2[1]}) |",
        f"| QR code, PNG data URI (used) | {figures['qr_png_ms']:.2f} ms |",
        f"| QR code, SVG data URI | {figures['qr_svg_ms']:.2f} ms |",
        f"| Sign, cached signer (`signing.sign_pdf`) | {figures['sign_cached_ms']:.1f} ms |",
        f"| Sign, stock SimpleSigner reused, `signers.sign_pdf` | {figures['sign_stock_reused_ms']:.1f} ms |",
        f"| Sign, stock SimpleSigner built per signature (decrypts the key) | {figures['sign_stock_fresh_ms']:.1f} ms |",
        f"| Check (`signing.check_pdf`, offline) | {figures['check_ms']:.1f} ms |",
        f"| Render + sign per certificate, median of 20 | {figures['issue_ms']:.1f} ms |",
        f"| PDF size, unsigned | {figures['pdf_kb']:.1f} KB |",
        f"| PDF size, signed | {figures['signed_kb']:.1f} KB |",
        f"| PDF size, holder name outside GB2312 (fallback font embedded) | {figures['pdf_rare_kb']:.1f} KB |",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--reps", type=int, default=3, help="throughput repetitions (median)")
    parser.add_argument("--settings", default="portal.settings.local")
    parser.add_argument("--child", choices=["cold", "warm", "throughput"], help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(args.child, args.pages, args.start_at, args.settings)
        print(json.dumps(result), flush=True)
        return

    setup_django(args.settings)
    from certificates import fonts

    log("fonts")
    fonts.ensure_fonts()
    log("fresh processes")
    cold = run_children("cold", 1, 2, args.settings)[0]
    warm = run_children("warm", 1, 2, args.settings)[0]
    # Interleaved repetitions, the median reported: another job on the machine skews one run.
    runs: dict[int, list[tuple[float, str]]] = {1: [], 2: []}
    for rep in range(args.reps):
        for processes in (1, 2):
            log(f"{processes} process(es) × {args.pages} pages, run {rep + 1}/{args.reps}")
            runs[processes].append(pages_per_second(processes, args.pages, args.settings))
    rate_1, rate_2 = (sorted(runs[n])[len(runs[n]) // 2] for n in (1, 2))
    figures = in_process(args.pages)
    text = report(figures, cold, warm, rate_1, rate_2, args.pages)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"certificate-render-{local_now():%Y%m%d-%H%M%S}.md"
    path.write_text(text, encoding="utf-8")
    log(f"written to {path}")


if __name__ == "__main__":
    main()
