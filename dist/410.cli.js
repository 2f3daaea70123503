"use strict";
exports.id = 410;
exports.ids = [410];
exports.modules = {

/***/ 410:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AwsKmsSigner: () => (/* binding */ AwsKmsSigner)
/* harmony export */ });
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(957);
/* harmony import */ var _spec_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(316);


/** Placeholder until the backend lands: refuses with a clear message. */
class AwsKmsSigner {
    description;
    constructor(spec, _context) {
        this.description = (0,_spec_js__WEBPACK_IMPORTED_MODULE_1__/* .describeSpec */ .l9)(spec);
    }
    publicKey() {
        return Promise.reject(new _signer_js__WEBPACK_IMPORTED_MODULE_0__/* .SignerError */ .nw('refused', `${this.description}: this backend is not available yet.`, 'Use private-key.'));
    }
    sign() {
        return this.publicKey().then(() => Buffer.alloc(0));
    }
}


/***/ })

};
;