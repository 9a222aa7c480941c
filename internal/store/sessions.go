package store

import (
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionStore keeps web sessions in the database, so that any instance
// sharing it serves any session.
type SessionStore interface {
	scs.Store
	// StopCleanup stops the goroutine that deletes expired sessions.
	StopCleanup()
}

// Sessions returns the session store for this database (scs's own store for
// the dialect), deleting expired sessions every cleanup (never if zero). It
// uses the writer's connections, since every request that carries a
// session may also save it.
func (s *Store) Sessions(cleanup time.Duration) (SessionStore, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	return s.dialect.sessions(sqlDB, cleanup), nil
}
