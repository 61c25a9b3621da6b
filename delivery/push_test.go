package delivery

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/delivery/pushtest"
)

func TestSendAgainstLocalPushService(t *testing.T) {
	svc := pushtest.New()
	defer svc.Close()
	keys, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	s := &Sender{Keys: keys, Subject: "mailto:ops@city.saijo.example"}
	endpoint, p256dh, auth := svc.Subscribe("a")
	sub := Subscription{Endpoint: endpoint, P256dh: p256dh, Auth: auth}

	res, err := s.Send(context.Background(), sub, NewPayload("n1", "nursery.checked_out", "お迎え完了", "", "/me/nursery/"))
	if res != Delivered || err != nil {
		t.Fatalf("send = %v %v; service saw %+v", res, err, svc.Messages())
	}
	got := svc.Delivered(endpoint)
	if len(got) != 1 || got[0].Payload["title"] != "お迎え完了" || got[0].Payload["link"] != "/me/nursery/" || got[0].Payload["body"] != HiddenBody {
		t.Fatalf("decrypted payload = %+v", got)
	}

	svc.Script(endpoint, 500, 410)
	if res, _ := s.Send(context.Background(), sub, Payload{Title: "x"}); res != Retry {
		t.Fatalf("500 gave %v, want Retry", res)
	}
	if res, _ := s.Send(context.Background(), sub, Payload{Title: "x"}); res != Gone {
		t.Fatalf("410 gave %v, want Gone", res)
	}

	// A payload signed with other keys does not verify at the service.
	other, _ := GenerateKeys()
	bad := &Sender{Keys: Keys{Public: keys.Public, Private: other.Private}, Subject: "mailto:x@example.com"}
	if res, _ := bad.Send(context.Background(), sub, Payload{Title: "x"}); res != Failed {
		t.Fatalf("forged VAPID gave %v, want Failed (400)", res)
	}
}

func TestQueueBoundedAndIdle(t *testing.T) {
	q := NewQueue(2, 4)
	defer q.Close()
	var ran atomic.Int64
	for range 50 {
		if !q.Submit(context.Background(), func() { time.Sleep(time.Millisecond); ran.Add(1) }) {
			t.Fatal("submit refused")
		}
	}
	q.After(20*time.Millisecond, func() { ran.Add(1) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q.After(time.Hour, func() { t.Error("a job held for an hour ran") })
	q.Submit(context.Background(), func() { panic("app gone") })
	if err := q.WaitIdle(ctx, time.Minute); err != nil || ran.Load() != 51 {
		t.Fatalf("ran %d jobs, idle err %v", ran.Load(), err)
	}
	if q.Waiting(2*time.Hour) != 1 {
		t.Fatal("the held job is not waiting")
	}
	// A full queue refuses once the context ends instead of blocking forever.
	block := make(chan struct{})
	full := NewQueue(1, 1)
	defer full.Close()
	full.Submit(context.Background(), func() { <-block })
	full.Submit(context.Background(), func() {})
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if full.Submit(short, func() {}) {
		t.Fatal("a full queue accepted a job")
	}
	close(block)
}
