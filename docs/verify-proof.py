#!/usr/bin/env python3
"""Checks a consent-ledger proof with Python's standard library and the `cryptography` package: no code of
the ledger's. Usage: verify-proof.py proof.json "<vkey>". Exit 0 when every hash, chain link, inclusion proof
and the checkpoint signature verify (the decision itself is re-derived by hand, see docs/proof.md step 6)."""
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

proof, vkey = json.load(open(sys.argv[1])), sys.argv[2].strip()
name, key_id, encoded = vkey.split("+", 2)
pub = base64.b64decode(encoded)[1:]
assert hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4].hex() == key_id, "vkey: key id"

note = proof["checkpoint"]
text, signature_line = note[: note.rindex("\n\n") + 1], note[note.rindex("\n\n") + 2 :].strip()
raw = base64.b64decode(signature_line.split(" ")[2])
assert signature_line.split(" ")[1] == name and raw[:4].hex() == key_id, "checkpoint: not signed by this key"
Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], text.encode())  # raises if the signature fails
origin, size, root = text.split("\n")[:3]
size, root = int(size), base64.b64decode(root)

previous = {}
for event in proof["events"]:
    body = {k: event[k] for k in ["eventId", "streamId", "streamVersion", "type", "data", "metadata", "occurredAt", "recordedAt", "personalDigest"]}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)  # RFC 8785 for these bodies
    assert hashlib.sha256((event["prevHash"] + "\n" + canonical).encode()).hexdigest() == event["hash"], f"hash of {event['eventId']}"
    assert event["prevHash"] == previous.get(event["streamId"], "0" * 64), f"chain link of {event['eventId']}"
    previous[event["streamId"]] = event["hash"]

node = lambda left, right: hashlib.sha256(b"\x01" + left + right).digest()
for inclusion in proof["inclusion"]:
    lines = inclusion["tlogProof"].split("\n\n")[0].split("\n")
    index, path = int(lines[1].split(" ")[1]), [base64.b64decode(line) for line in lines[2:]]
    event = next(e for e in proof["events"] if e["eventId"] == inclusion["eventId"])
    r, fn, sn = hashlib.sha256(b"\x00" + bytes.fromhex(event["hash"])).digest(), index, size - 1  # RFC 9162 2.1.3.2
    for p in path:
        if fn % 2 == 1 or fn == sn:
            r = node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            r = node(r, p)
        fn, sn = fn // 2, sn // 2
    assert sn == 0 and r == root, f"inclusion of {event['eventId']}"

unsealed = {e["eventId"] for e in proof["events"]} - {i["eventId"] for i in proof["inclusion"]}
assert not unsealed, f"not sealed yet: {sorted(unsealed)}"
print(f"verified: {len(proof['events'])} events in {origin} at tree size {size}; decision claimed: {proof['decision']}")
