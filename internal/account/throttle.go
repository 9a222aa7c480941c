package account

import "time"

// Throttle counts failed logins for one key: an account, or a client
// address.
type Throttle struct {
	Failures    int
	WindowStart time.Time
	LockedUntil time.Time // zero when not locked
}

// ThrottlePolicy is how many failures within a window lock a key, and for
// how long.
type ThrottlePolicy struct {
	Limit   int
	Window  time.Duration
	Lockout time.Duration
}

// Login throttling: an account is locked after 5 failures within 15
// minutes, a client address after 20 (it may serve a whole newsroom behind
// one NAT).
var (
	AccountThrottle = ThrottlePolicy{Limit: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	AddressThrottle = ThrottlePolicy{Limit: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	// CodeThrottle counts wrong two-factor codes of one account from every
	// address together: whoever has the password gets 10 guesses of a
	// 6-digit code per 15 minutes, wherever they try from.
	CodeThrottle = ThrottlePolicy{Limit: 10, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
)

// Fail counts one more failure at now. Failures older than the window start
// a new count; reaching the limit locks the key for the lockout and starts
// counting again.
func (t Throttle) Fail(now time.Time, p ThrottlePolicy) Throttle {
	if t.WindowStart.IsZero() || now.Sub(t.WindowStart) > p.Window {
		t = Throttle{WindowStart: now}
	}
	t.Failures++
	if t.Failures >= p.Limit {
		t = Throttle{WindowStart: now, LockedUntil: now.Add(p.Lockout)}
	}
	return t
}

// Refund takes back a failure Fail counted at now, for an attempt that
// turned out right: one fewer failure, or, if that failure locked the key,
// no lock and one failure short of the limit.
func (t Throttle) Refund(now time.Time, p ThrottlePolicy) Throttle {
	if t.Failures == 0 && (t.LockedUntil.Sub(now.Add(p.Lockout))).Abs() < time.Second {
		return Throttle{WindowStart: t.WindowStart, Failures: p.Limit - 1}
	}
	if t.Failures > 0 {
		t.Failures--
	}
	return t
}

// LockedUntil is the latest lockout among throttles, or the zero time.
func LockedUntil(throttles []Throttle) time.Time {
	var until time.Time
	for _, t := range throttles {
		if t.LockedUntil.After(until) {
			until = t.LockedUntil
		}
	}
	return until
}
