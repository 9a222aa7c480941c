// Package audit is the record of who did what, to which article and
// revision, and when. Every state change writes its entry in the same
// transaction as the change itself; this package names the actions and
// says them in words.
package audit

import "time"

// Action names a kind of change, as stored.
type Action string

// Actions on articles and revisions.
const (
	Created           Action = "article.created"
	Saved             Action = "revision.saved"
	Restored          Action = "revision.restored"
	Submitted         Action = "revision.submitted"
	Approved          Action = "revision.approved"
	ChangesRequested  Action = "revision.changes_requested"
	Published         Action = "article.published"
	Scheduled         Action = "article.scheduled"
	ScheduleCancelled Action = "article.schedule_cancelled"
	ScheduleFailed    Action = "article.schedule_failed"
	Unpublished       Action = "article.unpublished"
	ScratchRestored   Action = "scratch.restored"
	ScratchDiscarded  Action = "scratch.discarded"
)

// Actions on the network and on accounts.
const (
	SettingsSaved        Action = "network.saved"
	AccountCreated       Action = "account.created"
	AccountUpdated       Action = "account.updated"
	PasswordChanged      Action = "account.password_changed"
	AccountDeactivated   Action = "account.deactivated"
	AccountReactivated   Action = "account.reactivated"
	ContributorAdded     Action = "contributor.added"
	ContributorChanged   Action = "contributor.changed"
	ContributorDeleted   Action = "contributor.deleted"
	MediaUploaded        Action = "media.uploaded"
	MediaChanged         Action = "media.changed"
	MediaWithdrawn       Action = "media.withdrawn"
	MediaDeleted         Action = "media.deleted"
	Invited              Action = "account.invited"
	InvitationRevoked    Action = "account.invitation_revoked"
	InvitationAccepted   Action = "account.invitation_accepted"
	PasswordReset        Action = "account.password_reset"
	TwoFactorOn          Action = "account.two_factor_on"
	TwoFactorOff         Action = "account.two_factor_off"
	TwoFactorReset       Action = "account.two_factor_reset"
	RecoveryCodeUsed     Action = "account.recovery_code_used"
	RecoveryCodesRenewed Action = "account.recovery_codes_renewed"
	MailRetried          Action = "mail.retried"
	TokenCreated         Action = "token.created"
	TokenRevoked         Action = "token.revoked"
	TokenUsed            Action = "token.used"
	WebhookAdded         Action = "webhook.added"
	WebhookRemoved       Action = "webhook.removed"
	WebhookDisabled      Action = "webhook.disabled"
	WebhookEnabled       Action = "webhook.enabled"
)

var labels = map[Action]string{
	Created:              "Created the article",
	Saved:                "Saved a revision",
	Restored:             "Restored a revision",
	Submitted:            "Submitted for review",
	Approved:             "Approved",
	ChangesRequested:     "Requested changes",
	Published:            "Published",
	Scheduled:            "Scheduled",
	ScheduleCancelled:    "Cancelled the schedule",
	ScheduleFailed:       "Scheduled publication failed",
	Unpublished:          "Unpublished",
	ScratchRestored:      "Restored unsaved changes",
	ScratchDiscarded:     "Discarded unsaved changes",
	SettingsSaved:        "Saved the network settings",
	AccountCreated:       "Created an account",
	AccountUpdated:       "Changed an account's role",
	PasswordChanged:      "Changed a password",
	AccountDeactivated:   "Deactivated an account",
	AccountReactivated:   "Reactivated an account",
	ContributorAdded:     "Added a contributor",
	ContributorChanged:   "Changed a contributor",
	ContributorDeleted:   "Deleted a contributor",
	MediaUploaded:        "Uploaded an image",
	MediaChanged:         "Changed an image's details",
	MediaWithdrawn:       "Withdrew an image",
	MediaDeleted:         "Deleted an image",
	Invited:              "Sent an invitation",
	InvitationRevoked:    "Revoked an invitation",
	InvitationAccepted:   "Accepted an invitation",
	PasswordReset:        "Reset a password by mail",
	TwoFactorOn:          "Turned on two-factor login",
	TwoFactorOff:         "Turned off two-factor login",
	TwoFactorReset:       "Reset someone's two-factor login",
	RecoveryCodeUsed:     "Logged in with a recovery code",
	RecoveryCodesRenewed: "Made new recovery codes",
	MailRetried:          "Sent a failed mail again",
	TokenCreated:         "Created an API token",
	TokenRevoked:         "Revoked an API token",
	TokenUsed:            "Used an API token (first use of the day)",
	WebhookAdded:         "Added a webhook",
	WebhookRemoved:       "Removed a webhook",
	WebhookDisabled:      "A webhook was disabled",
	WebhookEnabled:       "Enabled a webhook again",
}

// Label is the action as the audit log says it; an action this version
// does not know (written by a newer one) is shown as stored.
func (a Action) Label() string {
	if l, ok := labels[a]; ok {
		return l
	}
	return string(a)
}

// Entry is one change to record. A zero ActorID is Quire itself (the
// scheduler, the demo loader); zero article and revision ids mean the
// change was not about one.
type Entry struct {
	At         time.Time
	ActorID    int64
	Action     Action
	ArticleID  int64
	RevisionID int64
	Detail     string
}

// Event is one line of the audit log as the desk shows and exports it.
type Event struct {
	ID             int64
	At             time.Time
	ActorID        int64 // zero for Quire itself
	Actor          string
	Action         Action
	ArticleID      int64
	ArticleTitle   string // the title of the article's newest revision
	RevisionID     int64
	RevisionNumber int
	Detail         string
	ChainHash      string // see internal/record
}
