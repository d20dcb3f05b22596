"""The agreement's quotas per period as the greedy planner books them (the rule is stated in `problem.py`).

`QuotaBook` keeps what is left of each period of each `PeriodQuota` while a plan is built: whether a group may
depart at a minute (`fits`), the earliest minute from which it may (`earliest`: a later period with room, or a
minute in no period), and booking its persons (`take`).
"""

from __future__ import annotations

from bisect import bisect_right

from corridor.planning.problem import Problem


class QuotaBook:
    def __init__(self, problem: Problem):
        self.quotas = problem.quotas
        self.starts = [[start for start, _, _ in q.periods] for q in self.quotas]
        self.ends = [[end for _, end, _ in q.periods] for q in self.quotas]
        self.left = [[limit for _, _, limit in q.periods] for q in self.quotas]
        self.need = [[g.count(q.category) for g in problem.groups] for q in self.quotas]

    def _period(self, q: int, minute: int) -> int | None:
        i = bisect_right(self.starts[q], minute) - 1
        return i if i >= 0 and minute < self.ends[q][i] else None

    def fits(self, minute: int, index: int) -> bool:
        """Whether group `index` may depart at `minute` with what is left of every quota."""
        for q, need in enumerate(self.need):
            n = need[index]
            if n:
                p = self._period(q, minute)
                if p is not None and self.left[q][p] < n:
                    return False
        return True

    def earliest(self, minute: int, index: int) -> int:
        """The earliest minute >= `minute` at which group `index` may depart as far as the quotas go."""
        while True:
            moved = False
            for q, need in enumerate(self.need):
                n = need[index]
                if not n:
                    continue
                p = self._period(q, minute)
                if p is None or self.left[q][p] >= n:
                    continue
                p += 1
                while p < len(self.left[q]) and self.left[q][p] < n and self.starts[q][p] == self.ends[q][p - 1]:
                    p += 1  # periods back to back without room for it
                minute = self.ends[q][p - 1]
                moved = True
            if not moved:
                return minute

    def take(self, minute: int, index: int) -> None:
        for q, need in enumerate(self.need):
            n = need[index]
            if n:
                p = self._period(q, minute)
                if p is not None:
                    self.left[q][p] -= n

    def admit(self, minute: int):
        """For `Bucket.fill`: admits (and books) a group if it fits at `minute`."""
        def admit(index: int) -> bool:
            if not self.fits(minute, index):
                return False
            self.take(minute, index)
            return True
        return admit
