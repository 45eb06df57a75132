"""Qt itself: the PySide6 release that aborts after many signal disconnects must not be used."""

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_ten_thousand_connects_and_disconnects_do_not_abort():
    emitter = _Emitter()
    calls = []

    def slot():
        calls.append(1)

    for _ in range(10_000):
        emitter.fired.connect(slot)
        emitter.fired.disconnect(slot)
    emitter.fired.connect(slot)
    emitter.fired.emit()
    assert calls == [1]
