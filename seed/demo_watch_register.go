package seed

import (
	"context"
	"fmt"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/register"
	"github.com/saijo-dx/lifestage/registerdb"
)

// watchRegister imports the synthetic sample extract, as 高齢福祉担当
// would a register extract, so the candidate list has freshly imported
// people nobody has confirmed yet (the candidate rules come with the
// migration).
func (d *demo) watchRegister() error {
	areas, err := registerdb.Areas(d.tx)
	if err != nil {
		return err
	}
	res, err := register.Parse(register.SampleCSV, areas, d.today)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("demo register sample: %+v", res.Errors)
	}
	stats, err := registerdb.Write(d.tx, audit.Bulk(context.Background()), res)
	if err != nil {
		return err
	}
	if len(stats.Failed) > 0 {
		return fmt.Errorf("demo register sample: %+v", stats.Failed)
	}
	return auditlog.LogImport(d.tx, "residents", stats.Imported+stats.Updated)
}
