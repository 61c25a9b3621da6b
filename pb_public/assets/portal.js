// The portal is for guests; a logged-in person goes straight to their home.
import { currentAccount, homePath, initPage } from "/assets/app.js";

const record = currentAccount();
if (record) {
  location.replace(homePath(record));
} else {
  initPage();
}
