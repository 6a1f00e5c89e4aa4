package forms

import "context"

// SetBookPage makes the tracking book read n dossiers at a time (tests).
func SetBookPage(n int) (restore func()) {
	old := bookPage
	bookPage = n
	return func() { bookPage = old }
}

// BookTurn takes a turn at rendering a tracking book (tests).
func (s *Service) BookTurn(ctx context.Context) (func(), error) { return s.bookTurn(ctx) }
