package hooks_test

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// uploadBoundary is fixed so a body can be built before the scenario that
// sends it, with matrixUploadType as its content type.
const uploadBoundary = "lifestage-test-upload"

// matrixUploadType is the content type of every upload these tests send.
const matrixUploadType = "multipart/form-data; boundary=" + uploadBoundary

// multipartBody is a multipart body with the fields (a name may repeat)
// and, when name is set, one file in fileField.
func multipartBody(t testing.TB, fileField string, fields [][2]string, name string, data []byte) string {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(uploadBoundary); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile(fileField, name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return buf.String()
}
