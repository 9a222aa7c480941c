package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
)

const userUsage = `Usage:
  quire user add --email E --name N --role R   create an account; password from standard input
  quire user passwd --email E                  set a new password; password from standard input
  quire user role --email E --role R           give an account another role (an admin, to a network without one)
  quire user reset-2fa --email E               turn off an account's two-factor login (a lost phone)
  quire user list                              list every account
Roles: editor, reviewer, admin.`

// userCommand manages accounts from the command line, for the first admin
// on a headless server and for recovering a forgotten password.
func userCommand(ctx context.Context, svc *access.Service, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("user needs a subcommand\n" + userUsage)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "email address")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "editor, reviewer or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w\n%s", err, userUsage)
	}
	switch args[0] {
	case "add":
		if *email == "" || *name == "" || *role == "" {
			return errors.New("user add needs --email, --name and --role\n" + userUsage)
		}
		password, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		a, err := svc.Create(ctx, 0, account.New{Email: *email, Name: *name, Role: *role, Password: password})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created %s account for %s <%s>\n", a.Role, a.Name, a.Email)
		return nil
	case "passwd":
		if *email == "" {
			return errors.New("user passwd needs --email\n" + userUsage)
		}
		password, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		a, err := svc.ResetPassword(ctx, *email, password)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions have ended\n", a.Email)
		return nil
	case "role":
		if *email == "" || *role == "" {
			return errors.New("user role needs --email and --role\n" + userUsage)
		}
		a, err := svc.ChangeRoleByEmail(ctx, *email, *role)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "%s is now %s\n", a.Email, a.Role)
		return nil
	case "reset-2fa":
		if *email == "" {
			return errors.New("user reset-2fa needs --email\n" + userUsage)
		}
		a, err := svc.ResetTwoFactorByEmail(ctx, *email)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "two-factor login is off for %s; they log in with their password and can set it up again\n", a.Email)
		return nil
	case "list":
		all, err := svc.List(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tSTATUS\tTWO-FACTOR\tLAST LOGIN")
		for _, a := range all {
			status, last := "active", "never"
			if !a.Active {
				status = "deactivated"
			}
			if !a.LastLoginAt.IsZero() {
				last = a.LastLoginAt.UTC().Format("2006-01-02 15:04 UTC")
			}
			twoFactor := "off"
			if a.TwoFactor {
				twoFactor = "on"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Email, a.Name, a.Role, status, twoFactor, last)
		}
		return w.Flush()
	}
	return fmt.Errorf("unknown user subcommand %q\n%s", args[0], userUsage)
}

// readPassword reads a password: without echo from a terminal, otherwise the
// first line of standard input (so scripts can pipe it).
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input (for example: echo 'a long passphrase' | quire user add ...)")
	}
	return line, nil
}

// explain turns a validation error into one line per problem.
func explain(err error) error {
	fields := apperr.FieldsOf(err)
	if len(fields) == 0 {
		return errors.New(apperr.MessageOf(err))
	}
	var b strings.Builder
	for _, f := range []string{account.FieldEmail, account.FieldName, account.FieldRole, account.FieldPassword} {
		if msg, ok := fields[f]; ok {
			fmt.Fprintf(&b, "\n  %s: %s", f, msg)
		}
	}
	return errors.New("cannot save the account:" + b.String())
}
